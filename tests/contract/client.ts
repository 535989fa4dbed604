// The API contract walk: one claim from draft to paid through the JSON API, as the demo accounts, with
// openapi-fetch typed by the types openapi-typescript generated from the document the server serves.
//
// Every response the walk receives passes through ContractCheck (openapi-fetch middleware), which validates it
// with ajv against what the same document declares for the operation (method and path template), the status
// code (or its range, or `default`) and the content type, and checks the declared headers are there. A
// status, content type or body the document does not declare is a failure; so is a JSON request body that
// its requestBody schema refuses, or a body sent to an operation that declares none. The walk goes on after a
// validation failure (to find every one), stops at the first answer it cannot go on from, and exits 1 if
// anything failed.
//
// Run by run-contract.sh, which sets LEDGER_URL, LEDGER_DEMO_PASSWORD (the server's --demo-password) and
// LEDGER_OPENAPI (the document as downloaded, the same bytes that were linted and typed).
// LEDGER_CONTRACT_OWN_SERVICE=1 skips looking for a claimable demo service and defines one (the fallback).
import { readFileSync } from "node:fs";
import createClient, { type Client, type Middleware } from "openapi-fetch";
import { Ajv2020, type ErrorObject, type ValidateFunction } from "ajv/dist/2020.js";
import ajvFormats from "ajv-formats";
import type { paths } from "ledger-openapi";

const addFormats = ajvFormats.default;

function env(name: string): string {
  const value = process.env[name];
  if (!value) {
    console.error(`contract: ${name} is not set (run tests/contract/run-contract.sh BUILD_DIR)`);
    process.exit(2);
  }
  return value;
}
const baseUrl = env("LEDGER_URL");
const password = env("LEDGER_DEMO_PASSWORD");
const documentPath = env("LEDGER_OPENAPI");

// ---------------------------------------------------------------------------------------------------------
// The document, and each response checked against it.

type JsonObject = { [key: string]: unknown };
const isObject = (v: unknown): v is JsonObject => typeof v === "object" && v !== null && !Array.isArray(v);
const isJsonMediaType = (t: string) => /^application\/([a-z0-9.!#$&^_-]+\+)?json$/.test(t);
const mediaTypeOf = (header: string | null) => (header ?? "").split(";")[0]!.trim().toLowerCase();
const jsonPointer = (segments: string[]) =>
  "#/" + segments.map((s) => encodeURIComponent(s.replace(/~/g, "~0").replace(/\//g, "~1"))).join("/");
const HTTP_METHODS = new Set(["get", "put", "post", "delete", "options", "head", "patch", "trace"]);

// Maps whose keys are names, not keywords: an `x-` key inside one of them is a name (a property called
// `x-...`), anywhere else it is an OpenAPI extension, which ajv's strict mode would refuse as a keyword.
const NAME_MAPS = new Set([
  "properties", "patternProperties", "$defs", "definitions", "dependentSchemas", "dependentRequired", "schemas",
  "responses", "headers", "content", "paths", "parameters", "securitySchemes", "examples", "links", "callbacks",
  "requestBodies", "pathItems", "encoding", "variables", "mapping", "webhooks",
]);
function withoutExtensions(node: unknown, parentKey = ""): unknown {
  if (Array.isArray(node)) return node.map((item) => withoutExtensions(item));
  if (!isObject(node)) return node;
  const out: JsonObject = {};
  for (const [key, value] of Object.entries(node)) {
    if (key.startsWith("x-") && !NAME_MAPS.has(parentKey)) continue;
    out[key] = withoutExtensions(value, key);
  }
  return out;
}

class ContractCheck {
  readonly failures: string[] = [];
  validated = 0;
  requestBodies = 0;
  private readonly operations = new Set<string>();
  private readonly doc: JsonObject;
  private readonly ajv: Ajv2020;
  private readonly validators = new Map<string, ValidateFunction | string>();

  constructor(documentText: string) {
    const doc = JSON.parse(documentText) as unknown;
    if (!isObject(doc) || !isObject(doc["paths"])) throw new Error(`${documentPath} is not an OpenAPI document`);
    this.doc = withoutExtensions(doc) as JsonObject;
    // Strict about keywords and formats (a misspelt keyword or an unknown format is an error, not ignored),
    // lenient about the style rules (strictTypes etc.) that valid JSON Schema need not follow.
    this.ajv = new Ajv2020({
      strictSchema: true, strictNumbers: true, strictTypes: false, strictTuples: false, strictRequired: false,
      allowUnionTypes: true, allErrors: true, validateFormats: true,
    });
    addFormats(this.ajv);
    // The OpenAPI 3.1 Schema Object's own keywords, the document's top-level fields (ajv compiles the document
    // itself as the root every reference resolves in), and the formats of the OpenAPI format registry.
    for (const keyword of ["discriminator", "xml", "externalDocs", "example", "openapi", "info", "jsonSchemaDialect",
      "servers", "paths", "webhooks", "components", "security", "tags"]) {
      this.ajv.addKeyword(keyword);
    }
    const int = (bits: number) => (n: number) => Number.isInteger(n) && Math.abs(n) <= 2 ** (bits - 1);
    this.ajv.addFormat("int32", { type: "number", validate: int(32) });
    this.ajv.addFormat("int64", { type: "number", validate: (n: number) => Number.isInteger(n) });
    this.ajv.addFormat("float", { type: "number", validate: () => true });
    this.ajv.addFormat("double", { type: "number", validate: () => true });
    this.ajv.addFormat("byte", /^[A-Za-z0-9+/]*={0,2}$/);
    this.ajv.addFormat("binary", true);
    this.ajv.addFormat("password", true);
    this.ajv.addSchema(this.doc, "doc");
  }

  // The middleware every client of the walk uses: no call escapes it.
  readonly middleware: Middleware = {
    onRequest: async ({ request, schemaPath }) => {
      await this.checkRequest(request, schemaPath);
      return undefined;
    },
    onResponse: async ({ request, response, schemaPath }) => {
      await this.checkResponse(request.method, schemaPath, response);
      return undefined;
    },
    onError: ({ request, schemaPath, error }) => {
      this.fail(`${request.method} ${schemaPath}: no response: ${String(error)}`);
      return undefined;
    },
  };

  summary(): string {
    return `contract: ${this.validated} responses validated against the document ` +
      `(${this.operations.size} operations; ${this.requestBodies} request bodies checked); ` +
      `${this.failures.length} failure(s)`;
  }

  // A failure; a repeat of one already printed in full (the same schema failing the same way on another
  // response) is printed on one line.
  private readonly printed = new Set<string>();
  private fail(message: string, detail = ""): void {
    this.failures.push(message);
    if (this.printed.has(message)) {
      console.error(`contract: FAIL ${message.split("\n")[0]!.replace(/:$/, "")} (again, as above)`);
      return;
    }
    this.printed.add(message);
    console.error(`contract: FAIL ${message}${detail}`);
  }

  // `{"$ref": "#/components/..."}` objects (responses, headers, request bodies, media types) followed to what
  // they name, with the JSON pointer of where the object really is.
  private resolve(node: unknown, at: string[]): { node: unknown; at: string[] } {
    for (let hops = 0; isObject(node) && typeof node["$ref"] === "string"; hops++) {
      const ref = node["$ref"];
      if (!ref.startsWith("#/") || hops > 20) throw new Error(`unsupported $ref ${ref} at ${jsonPointer(at)}`);
      at = ref.slice(2).split("/").map((s) => decodeURIComponent(s).replace(/~1/g, "/").replace(/~0/g, "~"));
      node = at.reduce<unknown>((n, key) => (isObject(n) ? n[key] : undefined), this.doc);
    }
    return { node, at };
  }

  private operation(method: string, template: string): { op: JsonObject; at: string[] } | undefined {
    const pathItem = (this.doc["paths"] as JsonObject)[template];
    const m = method.toLowerCase();
    if (!HTTP_METHODS.has(m) || !isObject(pathItem)) return undefined;
    const { node, at } = this.resolve(pathItem, ["paths", template]);
    return isObject(node) && isObject(node[m]) ? { op: node[m] as JsonObject, at: [...at, m] } : undefined;
  }

  // The validator of the schema at `at` in the document: compiled as a reference into the whole document,
  // so its $refs resolve exactly as the document writes them.
  private validator(at: string[]): ValidateFunction | string {
    const key = jsonPointer(at);
    let v = this.validators.get(key);
    if (v === undefined) {
      try {
        v = this.ajv.compile({ $ref: `doc${key}` });
      } catch (e) {
        v = `the schema at ${key} does not compile: ${e instanceof Error ? e.message : String(e)}`;
      }
      this.validators.set(key, v);
    }
    return v;
  }

  private validate(where: string, at: string[], instance: unknown, text: string): boolean {
    const v = this.validator(at);
    if (typeof v === "string") {
      this.fail(`${where}: ${v}`);
      return false;
    }
    if (v(instance)) return true;
    const errors = (v.errors ?? []).slice(0, 25).map((e: ErrorObject) =>
      `    ${e.instancePath || "(body)"} ${e.message ?? e.keyword} ${JSON.stringify(e.params)} [${e.schemaPath}]`);
    this.fail(`${where}: the body does not match the schema at ${jsonPointer(at)}:\n${errors.join("\n")}`,
      `\n    body: ${text.length > 1500 ? text.slice(0, 1500) + "..." : text}`);
    return false;
  }

  // The media type of `content` (a declared map) that `actual` answers to: exact, then type/*, then */*.
  private static mediaKey(content: JsonObject, actual: string): string | undefined {
    const keys = Object.keys(content);
    const bare = (k: string) => mediaTypeOf(k);
    return keys.find((k) => bare(k) === actual) ??
      keys.find((k) => bare(k) === `${actual.split("/")[0]}/*`) ?? keys.find((k) => bare(k) === "*/*");
  }

  private async checkRequest(request: Request, template: string): Promise<void> {
    const where = `${request.method} ${template} (request)`;
    const found = this.operation(request.method, template);
    if (!found) return; // reported with its response
    const text = request.body === null ? "" : await request.clone().text();
    const declared = found.op["requestBody"];
    if (declared === undefined) {
      if (text.length > 0) this.fail(`${where}: a body is sent, but the document declares no requestBody`);
      return;
    }
    const { node: body, at } = this.resolve(declared, [...found.at, "requestBody"]);
    if (!isObject(body) || !isObject(body["content"])) {
      this.fail(`${where}: the requestBody at ${jsonPointer(at)} has no content`);
      return;
    }
    if (text.length === 0) {
      if (body["required"] === true) this.fail(`${where}: no body is sent, but the document requires one`);
      return;
    }
    const actual = mediaTypeOf(request.headers.get("content-type"));
    const key = ContractCheck.mediaKey(body["content"], actual);
    if (key === undefined) {
      this.fail(`${where}: Content-Type ${actual} is not one the requestBody declares ` +
        `(${Object.keys(body["content"]).join(", ")})`);
      return;
    }
    const media = this.resolve(body["content"][key], [...at, "content", key]);
    if (!isObject(media.node) || media.node["schema"] === undefined) return;
    this.requestBodies++;
    let instance: unknown = text;
    if (isJsonMediaType(actual)) instance = JSON.parse(text);
    this.validate(where, [...media.at, "schema"], instance, text);
  }

  private async checkResponse(method: string, template: string, response: Response): Promise<void> {
    const where = `${method} ${template} -> ${response.status}`;
    const found = this.operation(method, template);
    if (!found) {
      this.fail(`${where}: the document has no operation ${method.toLowerCase()} at paths["${template}"]`);
      return;
    }
    this.operations.add(`${method} ${template}`);
    const responses = found.op["responses"];
    if (!isObject(responses)) {
      this.fail(`${where}: the operation declares no responses`);
      return;
    }
    const status = String(response.status);
    const code = [status, `${status[0]}XX`, "default"].find((k) => k in responses);
    if (code === undefined) {
      this.fail(`${where}: status ${status} is not declared (declared: ${Object.keys(responses).join(", ")})`);
      return;
    }
    const { node: declared, at } = this.resolve(responses[code], [...found.at, "responses", code]);
    if (!isObject(declared)) {
      this.fail(`${where}: the response at ${jsonPointer(at)} is not an object`);
      return;
    }
    let ok = this.checkHeaders(where, declared, at, response.headers);
    const text = await response.clone().text();
    const actual = mediaTypeOf(response.headers.get("content-type"));
    const content = declared["content"];
    if (!isObject(content) || Object.keys(content).length === 0) {
      if (text.length > 0) {
        this.fail(`${where}: a ${actual || "body"} of ${text.length} bytes, but responses["${code}"] declares no content`);
        ok = false;
      }
    } else if (text.length === 0 && actual === "") {
      this.fail(`${where}: no body, but responses["${code}"] declares ${Object.keys(content).join(", ")}`);
      ok = false;
    } else {
      const key = ContractCheck.mediaKey(content, actual);
      if (key === undefined) {
        this.fail(`${where}: Content-Type ${actual || "(none)"} is not declared for responses["${code}"] ` +
          `(declared: ${Object.keys(content).join(", ")})`);
        ok = false;
      } else {
        const media = this.resolve(content[key], [...at, "content", key]);
        if (isObject(media.node) && media.node["schema"] !== undefined) {
          let instance: unknown = text;
          let parsed = true;
          if (isJsonMediaType(actual)) {
            try {
              instance = JSON.parse(text);
            } catch (e) {
              this.fail(`${where}: ${actual} that is not JSON (${String(e)}): ${text.slice(0, 300)}`);
              parsed = false;
            }
          }
          ok = parsed && this.validate(where, [...media.at, "schema"], instance, text) && ok;
        }
      }
    }
    if (ok) this.validated++;
  }

  private checkHeaders(where: string, declared: JsonObject, at: string[], headers: Headers): boolean {
    const declaredHeaders = declared["headers"];
    if (!isObject(declaredHeaders)) return true;
    let ok = true;
    for (const [name, raw] of Object.entries(declaredHeaders)) {
      if (name.toLowerCase() === "content-type") continue; // described by `content` (OpenAPI 3.1, 4.8.17.1)
      const { node: header, at: headerAt } = this.resolve(raw, [...at, "headers", name]);
      if (!isObject(header)) continue;
      const value = headers.get(name);
      if (value === null) {
        if (header["required"] === true) {
          this.fail(`${where}: the required header ${name} is missing`);
          ok = false;
        }
        continue;
      }
      const schema = header["schema"];
      if (isObject(schema) && (schema["type"] === "string" || schema["$ref"] !== undefined)) {
        ok = this.validate(`${where} header ${name}`, [...headerAt, "schema"], value, value) && ok;
      }
    }
    return ok;
  }
}

const contract = new ContractCheck(readFileSync(documentPath, "utf8"));

// ---------------------------------------------------------------------------------------------------------
// Helpers of the walk.

class WalkError extends Error {}

type Api = Client<paths>;
type Answer = { response: Response; error?: unknown };

function newClient(token?: string): Api {
  const api = createClient<paths>({
    baseUrl,
    headers: token === undefined ? {} : { Authorization: `Bearer ${token}` },
  });
  api.use(contract.middleware);
  return api;
}

// The answer, when its status is one of `statuses`; otherwise the walk cannot go on.
async function expectStatus<R extends Answer>(what: string, pending: Promise<R>, ...statuses: number[]): Promise<R> {
  const answer = await pending;
  if (!statuses.includes(answer.response.status)) {
    const detail = answer.error === undefined ? "" : `: ${JSON.stringify(answer.error).slice(0, 1500)}`;
    throw new WalkError(`${what}: answered ${answer.response.status}, expected ${statuses.join(" or ")}${detail}`);
  }
  return answer;
}

function must<T>(value: T | undefined | null, what: string): T {
  if (value === undefined || value === null) throw new WalkError(`${what}: missing`);
  return value;
}

function check(condition: boolean, what: string): asserts condition {
  if (!condition) throw new WalkError(what);
}

function etagOf(response: Response, what: string): string {
  return must(response.headers.get("ETag"), `${what}: the ETag header`);
}

function log(message: string): void {
  console.log(`  ${message}`);
}

interface Session {
  username: string;
  api: Api;
}
const sessions = new Map<string, Session>();

// POST /api/v1/session as a demo account (one session per account), then GET /api/v1/me.
async function signIn(username: string): Promise<Session> {
  const known = sessions.get(username);
  if (known) return known;
  const anonymous = newClient();
  const signedIn = await expectStatus(`sign in as ${username}`,
    anonymous.POST("/api/v1/session", { body: { username, password } }), 201);
  const token = must(signedIn.data, `sign-in of ${username}`).token;
  check(typeof token === "string" && token.length > 0, `sign-in of ${username}: no token`);
  const session: Session = { username, api: newClient(token) };
  const me = must((await expectStatus(`GET /api/v1/me as ${username}`, session.api.GET("/api/v1/me"), 200)).data,
    "me");
  check(me.username === username, `GET /api/v1/me as ${username} names ${me.username}`);
  log(`signed in as ${username} (${me.roles.join(", ")} of ${me.organisation.code})`);
  sessions.set(username, session);
  return session;
}

const today = () => new Date().toISOString().slice(0, 10);
const isoDay = (d: Date) => d.toISOString().slice(0, 10);
const addDays = (d: Date, days: number) => new Date(d.getTime() + days * 86_400_000);

interface Period {
  period: string; // as the API writes it: 2026-10, 2026-Q3, 2026/27
  start: string; // YYYY-MM-DD
  end: string;
}
// The periods of a frequency that have ended and whose claim window (the day after the period's end to
// window_days after it, docs/domain.md) is open today, newest first.
function openPeriods(frequency: string, windowDays: number): Period[] {
  const now = new Date(`${today()}T00:00:00Z`);
  const candidates: { period: string; start: Date; end: Date }[] = [];
  const y = now.getUTCFullYear();
  const m = now.getUTCMonth(); // 0-based
  for (let back = 1; back <= 24; back++) {
    const start = new Date(Date.UTC(y, m - back, 1));
    if (frequency === "monthly") {
      candidates.push({
        period: `${start.getUTCFullYear()}-${String(start.getUTCMonth() + 1).padStart(2, "0")}`,
        start, end: new Date(Date.UTC(start.getUTCFullYear(), start.getUTCMonth() + 1, 0)),
      });
    } else if (frequency === "quarterly" && start.getUTCMonth() % 3 === 0) {
      // NHS financial quarters: Q1 Apr-Jun, Q2 Jul-Sep, Q3 Oct-Dec (of the year), Q4 Jan-Mar (of the next).
      const q = start.getUTCMonth() >= 3 ? (start.getUTCMonth() - 3) / 3 + 1 : 4;
      const fy = q === 4 ? start.getUTCFullYear() - 1 : start.getUTCFullYear();
      candidates.push({
        period: `${fy}-Q${q}`, start, end: new Date(Date.UTC(start.getUTCFullYear(), start.getUTCMonth() + 3, 0)),
      });
    } else if (frequency === "annual" && start.getUTCMonth() === 3) {
      const fy = start.getUTCFullYear();
      candidates.push({
        period: `${fy}/${String((fy + 1) % 100).padStart(2, "0")}`, start, end: new Date(Date.UTC(fy + 1, 3, 0)),
      });
    }
  }
  return candidates
    .filter(({ end }) => end < now && now <= addDays(end, windowDays))
    .map(({ period, start, end }) => ({ period, start: isoDay(start), end: isoDay(end) }));
}

// ---------------------------------------------------------------------------------------------------------
// The walk.

interface Target {
  serviceId: string;
  values: Record<string, number>;
  answers: Record<string, string>;
  evidenceRequired: boolean;
}

// What a service definition needs to be claimed: a value for each component, an answer for each question.
// Undefined for a service this walk does not fill in (percentage components need a numerator and a
// denominator chosen together).
function fillIn(serviceId: string, definition: {
  components: { id: string; unit_kind: string; min?: number; max: number; numerator_of?: string }[];
  questions?: { id: string; kind?: string }[];
  evidence_required?: boolean;
}): Target | undefined {
  const values: Record<string, number> = {};
  for (const c of definition.components) {
    const min = c.min ?? 0;
    // Enough for a count of vaccinations at £10.06 to reach £15,000, so that Finance approves as well.
    if (c.unit_kind === "count") values[c.id] = Math.max(min, Math.min(c.max, 1500));
    else if (c.unit_kind === "money") values[c.id] = Math.max(min, Math.min(c.max, 1_600_000));
    else if (c.unit_kind === "yes_no") values[c.id] = 1;
    else return undefined;
  }
  const answers: Record<string, string> = {};
  for (const q of definition.questions ?? []) {
    answers[q.id] = q.kind === "yes_no" ? "yes" : q.kind === "number" ? "1" : "Entered by the API contract test.";
  }
  return { serviceId, values, answers, evidenceRequired: definition.evidence_required ?? false };
}

// A claim draft of `practice` for a service offered to it and a period it may claim now: each published service
// it lists, whose offer to `provider` it accepted, each period of it whose claim window is open and that an
// accepted participation window covers, until one is free (409 duplicate_claim, or a 4xx for the period: the
// next). The services' definitions and the offers are read from their own routes.
async function draftClaim(practice: Session, provider: string):
    Promise<{ target: Target; claimId: string; etag: string } | undefined> {
  const listed = must((await expectStatus("GET /api/v1/services", practice.api.GET("/api/v1/services"), 200)).data,
    "services");
  for (const { service_id: serviceId } of listed.services) {
    const service = must((await expectStatus(`GET service ${serviceId}`,
      practice.api.GET("/api/v1/services/{id}", { params: { path: { id: serviceId } } }), 200)).data, "service");
    if (service.status !== "published") continue;
    const offered = await expectStatus(`GET the offer of ${serviceId} to ${provider}`,
      practice.api.GET("/api/v1/offers/{service}/{provider}", { params: { path: { service: serviceId, provider } } }),
      200, 404);
    const offer = offered.data;
    if (offer === undefined || offer.status !== "accepted") continue;
    const definition = service.definition;
    const periods = openPeriods(definition.frequency, definition.window_days).filter(({ start, end }) =>
      offer.participation.some((w) => w.start <= start && end <= w.end));
    const target = periods.length === 0 ? undefined : fillIn(serviceId, definition);
    if (!target) continue;
    for (const { period } of periods) {
      const created = await expectStatus(`draft ${serviceId} ${period}`,
        practice.api.POST("/api/v1/claims", { body: { service_id: serviceId, period } }), 201, 400, 409, 422);
      if (created.response.status !== 201) {
        log(`${serviceId} ${period}: ${created.response.status} ${created.error?.code ?? ""}, trying the next`);
        continue;
      }
      const claim = must(created.data, "the new claim");
      check(created.response.headers.get("Location") === `/api/v1/claims/${claim.claim_id}`,
        `POST /api/v1/claims: Location ${created.response.headers.get("Location")} is not the claim's`);
      log(`drafted ${claim.claim_id}: ${serviceId} for ${period} (${claim.status})`);
      return { target, claimId: claim.claim_id, etag: etagOf(created.response, "the new claim") };
    }
  }
  return undefined;
}

// The fallback when no demo service can be claimed today (the windows of the demo's services are 30 days,
// so on a few days a year none is open): the commissioner's administrator defines, prices, publishes and
// offers a monthly service with a year's window, and the practice accepts it.
async function offerOwnService(practice: Session, provider: string): Promise<Target> {
  const admin = await signIn("icb.admin");
  const serviceId = `00L-CT${Date.now().toString(36).slice(-4).toUpperCase()}`;
  const start = isoDay(addDays(new Date(), -400));
  const end = isoDay(addDays(new Date(), 400));
  const definition = {
    code: serviceId.slice(4), name: "API contract test service", category: "LES" as const,
    frequency: "monthly" as const, window_days: 366, evidence_required: true, start, end,
    components: [{ id: "items", name: "Items", unit_kind: "count" as const, max: 100_000, required: true }],
  };
  await expectStatus("define a service", admin.api.POST("/api/v1/services",
    { body: { service_id: serviceId, ...definition } }), 201);
  await expectStatus("price it", admin.api.POST("/api/v1/services/{id}/tariffs", {
    params: { path: { id: serviceId } },
    body: { effective_from: start, payment_type: "item_of_service", unit_rates: { items: 1006 } },
  }), 201);
  await expectStatus("publish it", admin.api.POST("/api/v1/services/{id}/publish",
    { params: { path: { id: serviceId } } }), 200);
  await expectStatus("offer it", admin.api.POST("/api/v1/services/{id}/offers", {
    params: { path: { id: serviceId } },
    body: { providers: [provider], start, end, respond_by: isoDay(addDays(new Date(), 30)) },
  }), 201);
  await expectStatus("accept the offer", practice.api.POST("/api/v1/offers/{service}/{provider}/accept",
    { params: { path: { service: serviceId, provider } } }), 200);
  log(`defined, published and offered ${serviceId}; ${provider} accepted it`);
  return { serviceId, values: { items: 1500 }, answers: {}, evidenceRequired: true };
}

// A small PDF (the ledger decides evidence types by content: %PDF-).
const EVIDENCE = "%PDF-1.4\n1 0 obj <</Type /Catalog /Pages 2 0 R>> endobj\n" +
  "2 0 obj <</Type /Pages /Kids [] /Count 0>> endobj\ntrailer <</Root 1 0 R>>\n%EOF\n";

// Which demo account decides at the tier a claim waits for (its holder_role), and by which route.
const APPROVERS: Record<string, { username: string; route: "approve" | "provider-approve" }> = {
  provider_approver: { username: "practice.approver", route: "provider-approve" },
  tier1: { username: "tier1", route: "approve" },
  tier2: { username: "tier2", route: "approve" },
  finance: { username: "finance", route: "approve" },
};

async function walk(): Promise<void> {
  const anonymous = newClient();
  console.log("contract: the public routes and an unauthenticated request");
  const health = must((await expectStatus("GET /healthz", anonymous.GET("/healthz"), 200)).data, "health");
  check(health.status === "ok", `GET /healthz: status ${health.status}`);
  const refused = await expectStatus("GET /api/v1/me without a session", anonymous.GET("/api/v1/me"), 401);
  check(refused.response.headers.get("WWW-Authenticate")?.startsWith("Bearer") === true,
    "401 without WWW-Authenticate: Bearer");

  console.log("contract: the practice drafts, fills in, attaches evidence and submits");
  const practice = await signIn("practice.user");
  const me = must((await expectStatus("GET /api/v1/me", practice.api.GET("/api/v1/me"), 200)).data, "me");
  const provider = me.organisation.code;
  let drafted = process.env["LEDGER_CONTRACT_OWN_SERVICE"] === "1" ? undefined : await draftClaim(practice, provider);
  if (!drafted) {
    log("no demo service has a period to claim today: defining one");
    const target = await offerOwnService(practice, provider);
    const period = must(openPeriods("monthly", 366)[0], "a period of the new service").period;
    const created = await expectStatus(`draft ${target.serviceId} ${period}`,
      practice.api.POST("/api/v1/claims", { body: { service_id: target.serviceId, period } }), 201);
    drafted = { target, claimId: must(created.data, "the new claim").claim_id, etag: etagOf(created.response, "draft") };
  }
  const { target, claimId } = drafted;
  const id = { params: { path: { id: claimId } } };
  const claimOf = (session: Session) => expectStatus(`GET claim as ${session.username}`,
    session.api.GET("/api/v1/claims/{id}", id), 200);

  let edited = await expectStatus("PUT the claim's values and answers", practice.api.PUT("/api/v1/claims/{id}", {
    params: { path: { id: claimId }, header: { "If-Match": drafted.etag } },
    body: { values: target.values, answers: target.answers },
  }), 200);
  log(`values ${JSON.stringify(must(edited.data, "edited claim").values)}`);

  const attached = await expectStatus("PUT evidence", practice.api.PUT("/api/v1/claims/{id}/evidence", {
    params: { path: { id: claimId }, query: { filename: "contract-evidence.pdf" },
      header: { "If-Match": etagOf(edited.response, "edited claim") } },
    body: EVIDENCE,
    bodySerializer: (body: unknown) => body,
    headers: { "Content-Type": "application/pdf" },
  }), 200);
  const evidence = must(must(attached.data, "claim with evidence").evidence[0], "the evidence attached");
  log(`evidence ${evidence.sha256} (${evidence.type}, ${evidence.size} bytes; required: ${target.evidenceRequired})`);
  const file = await expectStatus("GET the evidence file", practice.api.GET("/api/v1/claims/{id}/evidence/{sha256}", {
    params: { path: { id: claimId, sha256: evidence.sha256 } }, parseAs: "text",
  }), 200);
  check(file.data === EVIDENCE, "the evidence file read back differs from the one attached");

  const draft = await claimOf(practice);
  check(must(draft.data, "draft").actions.includes("submit"), `the draft's actions lack submit`);
  const submitted = await expectStatus("submit", practice.api.POST("/api/v1/claims/{id}/submit", {
    params: { path: { id: claimId }, header: { "If-Match": etagOf(draft.response, "draft") } },
  }), 200);
  log(`submitted: ${must(submitted.data, "submitted claim").status}, ${submitted.data?.amount_pence} pence`);

  console.log("contract: each tier the claim waits for approves it");
  const approvedBy: string[] = [];
  for (let round = 0; ; round++) {
    const now = must((await claimOf(practice)).data, "claim");
    if (now.status === "Approved for Payment") break;
    check(round < 6, `the claim is still ${now.status} after ${round} approvals`);
    const approver = APPROVERS[now.holder_role];
    if (approver === undefined) throw new WalkError(`the claim is ${now.status}, held by "${now.holder_role}"`);
    const session = await signIn(approver.username);
    if (approver.route === "approve") {
      const worklists = must((await expectStatus(`worklist of ${session.username}`,
        session.api.GET("/api/v1/worklist"), 200)).data, "worklist").worklists;
      log(`${session.username}'s worklists: ${worklists.map((w) => `${w.role} (${w.claims.length})`).join(", ")}`);
    }
    const seen = await claimOf(session);
    check(must(seen.data, "claim").actions.includes("approve"),
      `${session.username} may not approve the claim (${now.status}): actions ${JSON.stringify(seen.data?.actions)}`);
    const options = { params: { path: { id: claimId }, header: { "If-Match": etagOf(seen.response, "claim") } } };
    const approved = approver.route === "approve"
      ? await expectStatus(`approve as ${session.username}`, session.api.POST("/api/v1/claims/{id}/approve", options), 200)
      : await expectStatus(`approve as ${session.username}`,
        session.api.POST("/api/v1/claims/{id}/provider-approve", options), 200);
    log(`${session.username} approved: ${must(approved.data, "approved claim").status}`);
    approvedBy.push(now.holder_role);
  }
  check(approvedBy.includes("tier1") && approvedBy.includes("tier2"), `approved by ${approvedBy.join(", ")} only`);

  console.log("contract: a payment run pays it");
  const finance = await signIn("finance");
  const created = await expectStatus("create a payment run", finance.api.POST("/api/v1/payment-runs", {
    body: { pay_date: today() },
  }), 201);
  const run = must(created.data, "payment run");
  const runId = run.run_id;
  log(`payment run ${runId}: ${run.claims.length} claim(s), head ${run.head_position}`);
  check(run.claims.some((c) => c.claim_id === claimId), `payment run ${runId} does not hold ${claimId}`);
  const runPath = { path: { id: runId } };
  const read = await expectStatus("GET the payment run", finance.api.GET("/api/v1/payment-runs/{id}", {
    params: runPath,
  }), 200);
  const confirmed = await expectStatus("confirm the payment run", finance.api.POST("/api/v1/payment-runs/{id}/confirm", {
    params: { ...runPath, header: { "If-Match": etagOf(read.response, "payment run") } },
  }), 200);
  log(`confirmed: ${must(confirmed.data, "confirmed run").status}`);
  const paid = await expectStatus("mark the payment run paid", finance.api.POST("/api/v1/payment-runs/{id}/paid", {
    params: { ...runPath, header: { "If-Match": etagOf(confirmed.response, "confirmed run") } },
    body: { payment_reference: `CONTRACT-${runId}` },
  }), 200);
  log(`paid: ${must(paid.data, "paid run").status}`);
  const final = must((await claimOf(practice)).data, "claim");
  check(final.status === "Paid", `the claim is ${final.status} after its run was paid`);
  log(`${claimId} is ${final.status}`);

  console.log("contract: reads");
  const page = must((await expectStatus("GET /api/v1/claims?limit=5", practice.api.GET("/api/v1/claims", {
    params: { query: { limit: 5 } },
  }), 200)).data, "claims page");
  check(page.claims.length <= 5, `?limit=5 answered ${page.claims.length} claims`);
  const history = must((await expectStatus("GET the claim's history",
    practice.api.GET("/api/v1/claims/{id}/history", id), 200)).data, "history");
  log(`history: ${history.entries.length} entries`);
  await expectStatus("GET /api/v1/worklist", practice.api.GET("/api/v1/worklist"), 200);
  await expectStatus("GET /api/v1/payment-runs", finance.api.GET("/api/v1/payment-runs"), 200);
  const tier2 = await signIn("tier2");
  const reports = must((await expectStatus("GET /api/v1/reports", tier2.api.GET("/api/v1/reports"), 200)).data,
    "reports");
  log(`reports: ${reports.reports.map((r) => r.name).join(", ")}`);
  const report = must((await expectStatus("GET /api/v1/reports/claims?format=json",
    tier2.api.GET("/api/v1/reports/{name}", { params: { path: { name: "claims" }, query: { format: "json" } } }),
    200)).data, "claims report");
  if (typeof report === "string") throw new WalkError("GET /api/v1/reports/claims?format=json answered text");
  log(`claims report as of position ${report.as_of.position}`);
  const csv = await expectStatus("GET /api/v1/reports/claims?format=csv",
    tier2.api.GET("/api/v1/reports/{name}", {
      params: { path: { name: "claims" }, query: { format: "csv" } }, parseAs: "text",
    }), 200);
  check(csv.response.headers.get("Ledger-As-Of-Position") !== null, "the CSV report has no Ledger-As-Of-Position");
  const auditor = await signIn("auditor");
  const verified = must((await expectStatus("GET /api/v1/verify", auditor.api.GET("/api/v1/verify"), 200)).data,
    "verify");
  check(verified.ok === true, `GET /api/v1/verify: ok is ${verified.ok}`);
  log(`verify: ${verified.events_checked} events checked`);
  await expectStatus("GET /api/v1/ledger/heads", auditor.api.GET("/api/v1/ledger/heads"), 200);

  console.log("contract: errors");
  const missing = await expectStatus("GET an unknown claim", practice.api.GET("/api/v1/claims/{id}", {
    params: { path: { id: "C00000000000000000000" } },
  }), 404);
  check(mediaTypeOf(missing.response.headers.get("Content-Type")) === "application/problem+json",
    "a 404 that is not application/problem+json");
  check(missing.error?.type?.endsWith("/problems/not-found") === true,
    `the 404's type is ${JSON.stringify(missing.error?.type)}`);
  await expectStatus("approve a paid claim", tier2.api.POST("/api/v1/claims/{id}/approve", id), 403, 409);

  for (const session of sessions.values()) {
    await expectStatus(`sign out ${session.username}`, session.api.DELETE("/api/v1/session"), 204);
  }
}

let status = 0;
try {
  await walk();
  console.log("contract: the walk is complete");
} catch (e) {
  status = 1;
  console.error(`contract: the walk stopped: ${e instanceof WalkError ? e.message : (e instanceof Error ? e.stack : String(e))}`);
}
console.log(contract.summary());
if (contract.failures.length > 0) status = 1;
process.exit(status);
