package io.aiaas.platform.common;

import static org.hamcrest.MatcherAssert.assertThat;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.greaterThanOrEqualTo;

import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.fasterxml.jackson.databind.node.TextNode;
import io.aiaas.internalauth.Audiences;
import io.aiaas.internalauth.InternalTokens;
import io.aiaas.internalauth.Issuers;
import io.aiaas.internalauth.SigningKey;
import io.aiaas.platform.testsupport.EnrolledWorker;
import io.aiaas.platform.worker.auth.InternalAuth;
import io.aiaas.onnx.builder.RealModels;
import io.aiaas.platform.model.service.ModelStorage;
import io.aiaas.platform.testsupport.Api;
import io.aiaas.platform.testsupport.FakeWorker;
import io.aiaas.platform.testsupport.Fixtures;
import io.aiaas.platform.testsupport.PlanBodies;
import io.aiaas.platform.testsupport.RawHttp;
import io.aiaas.platform.testsupport.RawHttp.Answer;
import io.aiaas.platform.testsupport.TestDb;
import io.aiaas.platform.testsupport.Tokens;
import io.aiaas.platform.testsupport.UsageRows;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.oidc.server.OidcWiremockTestResource;
import io.restassured.RestAssured;
import io.smallrye.jwt.algorithm.SignatureAlgorithm;
import io.smallrye.jwt.build.Jwt;
import jakarta.inject.Inject;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Random;
import java.util.TreeMap;
import java.util.UUID;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;

/**
 * Sends the hostile corpus ({@code src/test/resources/hostile/platform-api-corpus.json}, data, so it grows without
 * code) to every public endpoint family of platform-api and checks each answer: the expected status, never a 5xx, the
 * error body of its API (the Open Inference Protocol's {@code {"error"}} under /v2, RFC 9457 problem details with
 * {@code type urn:aiaas:problem:<code>} elsewhere), and no internal detail (class names, SQL, native source paths,
 * stack traces). See the corpus file's {@code about} for the entry format.
 */
@QuarkusTest
@QuarkusTestResource(OidcWiremockTestResource.class)
class HostileCorpusTest {

    static final String CORPUS = "/hostile/platform-api-corpus.json";
    static final ObjectMapper JSON = new ObjectMapper().enable(JsonParser.Feature.ALLOW_COMMENTS);
    static final Pattern PLACEHOLDER = Pattern.compile("\\{([A-Za-z]+)\\}|\\{(.)\\*(\\d+)\\}");
    /** Text only our internals write: class and package names, SQL, native sources, stack traces. */
    static final List<String> LEAKS = List.of("java.", "javax.", "jakarta.", "io.aiaas", "io.quarkus", "io.vertx",
            "org.postgresql", "org.hibernate", "com.fasterxml", "SQLSTATE", "insert into", "select ", "update usage",
            ".cc:", "onnxruntime_src", "Exception", "\tat ", "Caused by", "about:blank", "/tmp/", "/incoming/");
    static final List<String> POISONS = List.of("{{NUL}}", "{{HI}}", "{{LO}}");

    @Inject
    TestDb db;

    @Inject
    InternalAuth internalAuth;

    @Inject
    Fixtures fixtures;

    @Inject
    UsageRows usage;

    @Inject
    ModelStorage storage;

    final Map<String, String> values = new HashMap<>();
    final Map<String, String> credentials = new HashMap<>();

    /** One request of the corpus, after expansion. */
    record Entry(String name, String method, String path, Map<String, String> headers, String auth, String body,
            JsonNode json, String generate, boolean chunked, JsonNode expectStatus, String expectCode,
            String expectDetail, JsonNode expectUsage, List<String> echoes, boolean httpLayer) {
    }

    @Test
    void noHostileRequestGetsA5xxOrLeaksInternals() throws Exception {
        List<Entry> corpus = load();
        int written = corpus.size();
        // after the written corpus, so that nothing these change can disturb it
        corpus.addAll(OpenApiHostileEntries.of(JSON.readTree(RestAssured.given().accept("application/json")
                .get("/q/openapi").asString())));
        try (FakeWorker worker = arrange()) {
            RawHttp http = new RawHttp("localhost", RestAssured.port);
            List<String> failures = new ArrayList<>();
            Map<String, Integer> families = new TreeMap<>();
            Map<Integer, Integer> statuses = new TreeMap<>();
            int serverErrors = 0;
            StringBuilder report = new StringBuilder();
            for (Entry entry : corpus) {
                Map<String, String> headers = new LinkedHashMap<>();
                String path = resolve(entry.path());
                byte[] body = body(entry);
                if (body != null) {
                    headers.put("Content-Type", "application/json");
                }
                if (!"none".equals(entry.auth())) {
                    String credential = credentials.get(entry.auth());
                    if (credential == null) {
                        throw new IllegalArgumentException(entry.name() + ": unknown auth " + entry.auth());
                    }
                    headers.put("Authorization", "Bearer " + credential);
                }
                entry.headers().forEach((name, value) -> {
                    headers.keySet().removeIf(existing -> existing.equalsIgnoreCase(name));
                    if (value != null) {
                        headers.put(name, resolve(value));
                    }
                });
                if (entry.chunked()) {
                    headers.put("Transfer-Encoding", "chunked");
                }
                Answer answer = http.send(entry.method(), path, headers, body, Duration.ofSeconds(30));
                families.merge(family(path), 1, Integer::sum);
                statuses.merge(answer.status(), 1, Integer::sum);
                if (answer.status() >= 500 || answer.status() < 0) {
                    serverErrors++;
                }
                report.append(String.format("%3d  %-58s %-7s %s%n       %s%n", answer.status(), entry.name(),
                        entry.method(), shorten(path), shorten(answer.text())));
                List<String> problems = check(entry, path, answer);
                if (!problems.isEmpty()) {
                    failures.add(entry.name() + " (" + entry.method() + " " + shorten(path) + " -> " + answer.status()
                            + " " + shorten(answer.text()) + "): " + String.join("; ", problems));
                }
            }
            System.out.printf("hostile corpus: %d requests (%d written, %d from the OpenAPI document), by family %s;"
                    + " statuses %s; 5xx: %d; failed checks: %d%n", corpus.size(), written, corpus.size() - written,
                    families, statuses, serverErrors, failures.size());
            failures.forEach(f -> System.out.println("  FAILED " + f));
            Files.writeString(Path.of("target", "hostile-corpus-report.txt"), report);
            assertThat("the corpus must stay at 100 requests or more", written, greaterThanOrEqualTo(100));
            assertThat("the OpenAPI document must give 500 requests or more", corpus.size() - written,
                    greaterThanOrEqualTo(500));
            assertThat(failures.size() + " of " + corpus.size() + " hostile requests failed their checks:\n"
                    + String.join("\n", failures), failures.isEmpty(), equalTo(true));
            assertThat(serverErrors, equalTo(0));
        }
    }

    // ---- the corpus ----

    private List<Entry> load() throws Exception {
        JsonNode root;
        try (InputStream in = getClass().getResourceAsStream(CORPUS)) {
            root = JSON.readTree(in);
        }
        List<Entry> entries = new ArrayList<>();
        java.util.Set<String> names = new java.util.HashSet<>();
        for (JsonNode node : root.path("requests")) {
            Entry entry = entry(node);
            List<String> poison = new ArrayList<>();
            node.path("poisonFields").forEach(f -> poison.add(f.asText()));
            if (poison.isEmpty()) {
                entries.add(entry);
            } else {
                entries.addAll(poisoned(entry, poison));
            }
        }
        for (Entry entry : entries) {
            if (!names.add(entry.name())) {
                throw new IllegalStateException("duplicate corpus entry name: " + entry.name());
            }
        }
        return entries;
    }

    private static Entry entry(JsonNode n) {
        Map<String, String> headers = new LinkedHashMap<>();
        for (Iterator<Map.Entry<String, JsonNode>> it = n.path("headers").fields(); it.hasNext(); ) {
            Map.Entry<String, JsonNode> h = it.next();
            headers.put(h.getKey(), h.getValue().isNull() ? null : h.getValue().asText());
        }
        List<String> echoes = new ArrayList<>();
        n.path("echoes").forEach(e -> echoes.add(e.asText()));
        return new Entry(required(n, "name"), required(n, "method"), required(n, "path"), headers,
                n.path("auth").asText("none"), n.hasNonNull("body") ? n.get("body").asText() : null,
                n.get("json"), n.hasNonNull("generate") ? n.get("generate").asText() : null,
                n.path("chunked").asBoolean(false), n.get("expectStatus"),
                n.hasNonNull("expectCode") ? n.get("expectCode").asText() : null,
                n.hasNonNull("expectDetail") ? n.get("expectDetail").asText() : null, n.get("expectUsage"), echoes,
                n.path("httpLayer").asBoolean(false));
    }

    private static String required(JsonNode n, String field) {
        if (!n.hasNonNull(field)) {
            throw new IllegalArgumentException("corpus entry without " + field + ": " + n);
        }
        return n.get(field).asText();
    }

    /**
     * One entry per poisoned field and poison: the field's value becomes a string carrying a NUL, an unpaired high
     * or an unpaired low surrogate, and the answer must be 400 naming the field.
     */
    private static List<Entry> poisoned(Entry template, List<String> fields) {
        List<Entry> out = new ArrayList<>();
        for (String field : fields) {
            for (String poison : POISONS) {
                JsonNode json = template.json().deepCopy();
                set(json, field, "x" + poison + "y");
                String label = poison.replace("{{", "").replace("}}", "");
                out.add(new Entry(template.name() + " [" + field + " " + label + "]", template.method(),
                        template.path(), template.headers(), template.auth(), null, json, null, template.chunked(),
                        template.expectStatus() == null ? TextNode.valueOf("400") : template.expectStatus(),
                        template.expectCode(), template.expectDetail() == null ? lastSegment(field)
                                : template.expectDetail(), template.expectUsage(), template.echoes(), false));
            }
        }
        return out;
    }

    private static String lastSegment(String field) {
        String[] parts = field.split("\\.");
        return parts[parts.length - 1].replaceAll("\\[\\d+]", "");
    }

    /** Sets a field by a dotted path with optional indexes: {@code placements[0].reason}. */
    private static void set(JsonNode root, String path, String value) {
        String[] parts = path.split("\\.");
        JsonNode node = root;
        for (int i = 0; i < parts.length; i++) {
            Matcher m = Pattern.compile("([^\\[]+)(?:\\[(\\d+)])?").matcher(parts[i]);
            if (!m.matches()) {
                throw new IllegalArgumentException(path);
            }
            boolean last = i == parts.length - 1;
            if (last && m.group(2) == null) {
                ((ObjectNode) node).put(m.group(1), value);
                return;
            }
            node = node.get(m.group(1));
            if (m.group(2) != null) {
                node = node.get(Integer.parseInt(m.group(2)));
            }
        }
    }

    private byte[] body(Entry entry) throws Exception {
        String text;
        if (entry.generate() != null) {
            return generate(entry.generate());
        } else if (entry.json() != null) {
            text = JSON.writeValueAsString(entry.json());
        } else if (entry.body() != null) {
            text = entry.body();
        } else {
            return null;
        }
        // poisons go into the JSON as escapes, exactly as a client would write them
        text = text.replace("{{NUL}}", "\\u0000").replace("{{HI}}", "\\ud800").replace("{{LO}}", "\\udc00");
        return resolve(text).getBytes(StandardCharsets.UTF_8);
    }

    /** Bodies too big or too odd to write in the corpus. */
    private static byte[] generate(String name) {
        return switch (name) {
            case "10MB-json" -> padded(10 << 20);
            case "2MB-json" -> padded(2 << 20);
            case "100KB-json" -> padded(100 << 10);
            case "deep-nesting" -> ("[".repeat(100_000) + "]".repeat(100_000)).getBytes(StandardCharsets.US_ASCII);
            case "deep-nesting-small" -> ("{\"inputs\": " + "[".repeat(20_000) + "]".repeat(20_000) + "}")
                    .getBytes(StandardCharsets.US_ASCII);
            case "number-2000-digits" -> ("{\"outstanding\": " + "9".repeat(2000) + ", \"placements\": []}")
                    .getBytes(StandardCharsets.US_ASCII);
            case "invalid-utf8" -> concat("{\"slug\": \"a", new byte[] {(byte) 0xFF, (byte) 0xFE}, "b\", \"name\": \"n\"}");
            case "raw-nul" -> concat("{\"name\": \"a", new byte[] {0}, "b\"}");
            case "raw-control" -> concat("{\"name\": \"a", new byte[] {0x1B, 0x07}, "b\"}");
            case "utf8-encoded-surrogate" -> concat("{\"name\": \"a", new byte[] {(byte) 0xED, (byte) 0xA0,
                    (byte) 0x80}, "b\"}");
            case "bom-json" -> concat("", new byte[] {(byte) 0xEF, (byte) 0xBB, (byte) 0xBF}, "{\"name\": \"bom\"}");
            case "utf16-json" -> "{\"name\": \"sixteen\"}".getBytes(StandardCharsets.UTF_16);
            case "garbage-bytes" -> {
                byte[] bytes = new byte[4096];
                new Random(5).nextBytes(bytes);
                yield bytes;
            }
            case "wide-object" -> {
                StringBuilder b = new StringBuilder("{\"name\": \"wide\"");
                for (int i = 0; i < 20_000; i++) {
                    b.append(", \"f").append(i).append("\": ").append(i);
                }
                yield b.append('}').toString().getBytes(StandardCharsets.US_ASCII);
            }
            case "onnx-linear" -> Fixtures.LINEAR.onnx();
            case "onnx-truncated" -> Arrays.copyOf(Fixtures.LINEAR.onnx(), Fixtures.LINEAR.onnx().length / 2);
            case "onnx-over-cap" -> new byte[300 << 10];
            default -> throw new IllegalArgumentException("no generator " + name);
        };
    }

    private static byte[] padded(int size) {
        String head = "{\"name\": \"";
        String tail = "\"}";
        return (head + "a".repeat(size - head.length() - tail.length()) + tail).getBytes(StandardCharsets.US_ASCII);
    }

    private static byte[] concat(String head, byte[] middle, String tail) {
        byte[] h = head.getBytes(StandardCharsets.UTF_8);
        byte[] t = tail.getBytes(StandardCharsets.UTF_8);
        byte[] out = Arrays.copyOf(h, h.length + middle.length + t.length);
        System.arraycopy(middle, 0, out, h.length, middle.length);
        System.arraycopy(t, 0, out, h.length + middle.length, t.length);
        return out;
    }

    /** Replaces {@code {name}} by the arranged value and {@code {c*N}} by N times c. */
    private String resolve(String text) {
        Matcher m = PLACEHOLDER.matcher(text);
        StringBuilder out = new StringBuilder();
        while (m.find()) {
            String replacement;
            if (m.group(1) != null) {
                String name = m.group(1);
                replacement = switch (name) {
                    case "fresh" -> Api.unique("c");
                    case "uuid" -> UUID.randomUUID().toString();
                    default -> {
                        String value = values.get(name);
                        if (value == null) {
                            throw new IllegalArgumentException("unknown placeholder {" + name + "} in " + text);
                        }
                        yield value;
                    }
                };
            } else {
                replacement = m.group(2).repeat(Integer.parseInt(m.group(3)));
            }
            m.appendReplacement(out, Matcher.quoteReplacement(replacement));
        }
        m.appendTail(out);
        return out.toString();
    }

    // ---- the checks ----

    private List<String> check(Entry entry, String path, Answer answer) throws Exception {
        List<String> problems = new ArrayList<>();
        int status = answer.status();
        if (status < 0) {
            problems.add("no answer (connection closed)");
            return problems;
        }
        if (!statusMatches(entry.expectStatus(), status)) {
            problems.add("expected status " + entry.expectStatus() + ", got " + status);
        }
        if (status >= 500) {
            problems.add("5xx");
        }
        if (entry.httpLayer()) {
            return problems; // refused by the HTTP codec before any application code: there is nothing else to check
        }
        if (answer.header("x-request-id") == null) {
            problems.add("no x-request-id");
        }
        String text = answer.text();
        String scrubbed = text;
        for (String echo : entry.echoes()) {
            scrubbed = scrubbed.replace(resolve(echo), "");
        }
        for (String leak : LEAKS) {
            if (scrubbed.toLowerCase(Locale.ROOT).contains(leak.toLowerCase(Locale.ROOT))) {
                problems.add("leaks '" + leak + "'");
            }
        }
        if (status >= 400 && !"HEAD".equals(entry.method())) {
            problems.addAll(errorBodyProblems(path, status, answer, entry));
        }
        if (status == 401 && answer.header("www-authenticate") == null) {
            problems.add("401 without WWW-Authenticate");
        }
        if (entry.expectUsage() != null) {
            problems.addAll(usageProblems(entry, answer));
        }
        return problems;
    }

    private static boolean statusMatches(JsonNode expected, int status) {
        if (expected == null) {
            return status >= 400 && status < 500;
        }
        if (expected.isArray()) {
            for (JsonNode e : expected) {
                if (statusMatches(e, status)) {
                    return true;
                }
            }
            return false;
        }
        String text = expected.asText();
        if (text.matches("[1-5]xx")) {
            return status / 100 == text.charAt(0) - '0';
        }
        return Integer.parseInt(text) == status;
    }

    private List<String> errorBodyProblems(String path, int status, Answer answer, Entry entry) {
        List<String> problems = new ArrayList<>();
        String type = answer.header("content-type");
        JsonNode body;
        try {
            body = JSON.readTree(answer.body());
        } catch (Exception e) {
            body = null;
        }
        if (body == null || !body.isObject()) {
            problems.add("error without a JSON body (content-type " + type + ")");
            return problems;
        }
        String rawPath = path.split("\\?", 2)[0];
        String message;
        if (rawPath.equals("/v2") || rawPath.startsWith("/v2/")) {
            if (type == null || !type.startsWith("application/json")) {
                problems.add("/v2 error with content-type " + type);
            }
            message = body.path("error").asText("");
            if (message.isBlank()) {
                problems.add("/v2 error without a non-empty \"error\"");
            }
            if (body.has("type")) {
                problems.add("/v2 error in the problem format");
            }
        } else {
            if (type == null || !type.startsWith("application/problem+json")) {
                problems.add("error with content-type " + type + ", not application/problem+json");
            }
            String code = body.path("code").asText("");
            message = body.path("detail").asText("");
            if (!code.matches("[a-z0-9_]+")) {
                problems.add("problem without a code");
            }
            if (!body.path("type").asText("").equals("urn:aiaas:problem:" + code)) {
                problems.add("problem type " + body.path("type") + " does not match its code " + code);
            }
            if (body.path("status").asInt() != status) {
                problems.add("problem status " + body.path("status") + " is not the HTTP status " + status);
            }
            if (body.path("title").asText("").isBlank()) {
                problems.add("problem without a title");
            }
            if (message.isBlank()) {
                problems.add("problem without a detail");
            }
            if (entry.expectCode() != null && !entry.expectCode().equals(code)) {
                problems.add("expected code " + entry.expectCode() + ", got " + code);
            }
        }
        if (entry.expectDetail() != null && !message.contains(resolve(entry.expectDetail()))) {
            problems.add("the message does not mention '" + entry.expectDetail() + "'");
        }
        return problems;
    }

    private List<String> usageProblems(Entry entry, Answer answer) {
        List<String> problems = new ArrayList<>();
        String requestId = answer.header("x-request-id");
        if (requestId == null) {
            return problems;
        }
        List<UsageRows.Row> rows = usage.of(requestId);
        JsonNode expected = entry.expectUsage();
        if (expected.isTextual() && expected.asText().equals("none")) {
            if (!rows.isEmpty()) {
                problems.add("expected no usage row, found " + rows);
            }
            return problems;
        }
        if (rows.size() != 1) {
            problems.add("expected one usage row, found " + rows.size());
            return problems;
        }
        for (Iterator<Map.Entry<String, JsonNode>> it = expected.fields(); it.hasNext(); ) {
            Map.Entry<String, JsonNode> column = it.next();
            Object want = column.getValue().isNull() ? null : column.getValue().isBoolean()
                    ? (Object) column.getValue().asBoolean() : column.getValue().isNumber()
                    ? (Object) column.getValue().asLong() : resolve(column.getValue().asText());
            try {
                rows.get(0).has(column.getKey(), want);
            } catch (AssertionError e) {
                problems.add(e.getMessage());
            }
        }
        return problems;
    }

    private static String family(String path) {
        String p = path.split("\\?", 2)[0];
        if (p.startsWith("/v2/health")) {
            return "/v2/health";
        }
        if (p.startsWith("/v2/")) {
            return "/v2/models";
        }
        String[] prefixes = {"/api/v1/tenants", "/admin/v1/tenants", "/admin/v1/models", "/admin/v1/plans", "/admin/v1/workers",
            "/internal/v1/workers", "/internal/v1/artifacts", "/internal/v1/enrolments", "/internal/v1/keys"};
        for (String prefix : prefixes) {
            if (p.startsWith(prefix)) {
                return prefix;
            }
        }
        return "other";
    }

    private static String shorten(String text) {
        String oneLine = text.replace("\n", " ");
        return oneLine.length() <= 160 ? oneLine : oneLine.substring(0, 160) + "...";
    }

    // ---- what the corpus runs against ----

    /** Tenants, people, keys, models and a worker serving one of them; their ids become placeholders. */
    private FakeWorker arrange() throws Exception {
        String admin = Tokens.admin();
        String slug = Api.createTenant();
        String otherSlug = Api.createTenant();
        Api.TenantUser tenantAdmin = Api.userOf(slug, "admin");
        Api.TenantUser member = Api.userOf(slug, "member");
        String unverifiedEmail = Api.unique("unverified") + "@example.test";
        Api.addMember(slug, unverifiedEmail, "admin");
        values.put("slug", slug);
        values.put("otherSlug", otherSlug);
        values.put("memberId", db.value("SELECT id FROM tenant_members WHERE email = ?", member.email()).toString());
        values.put("planId", PlanBodies.create(PlanBodies.spec()));

        String model = createModel(admin, "public", null);
        upload(admin, model, Fixtures.LINEAR.onnx());
        String zerosModel = createModel(admin, "public", null);
        upload(admin, zerosModel, RealModels.vocabularyEmbedding().onnx());
        values.put("model", model);
        values.put("zerosModel", zerosModel);
        values.put("zerosExample", RealModels.vocabularyEmbedding().exampleRequest());
        values.put("uploadModel", createModel(admin, "public", null));
        values.put("privateModel", createModel(admin, "private", otherSlug));

        var created = Api.as(admin).body(Map.of("name", "corpus")).post("/api/v1/tenants/" + slug + "/keys");
        created.then().statusCode(201);
        values.put("keyId", created.path("id"));
        var revokedKey = Api.as(admin).body(Map.of("name", "revoked")).post("/api/v1/tenants/" + slug + "/keys");
        revokedKey.then().statusCode(201);
        String revoked = revokedKey.path("key");
        Api.as(admin).delete("/api/v1/tenants/" + slug + "/keys/" + revokedKey.path("id")).then().statusCode(204);
        values.put("otherKeyId", Api.as(admin).body(Map.of("name", "other")).post("/api/v1/tenants/" + otherSlug
                + "/keys").then().statusCode(201).extract().path("id"));
        UUID tenantId = (UUID) db.value("SELECT id FROM tenants WHERE slug = ?", slug);
        String expired = fixtures.key(new Fixtures.Tenant(tenantId, slug), OffsetDateTime.now().minusMinutes(1));

        EnrolledWorker corpusWorker = EnrolledWorker.enrol();
        String workerJwt = corpusWorker.token();
        values.put("corpusWorkerId", Api.as(workerJwt).body(Map.of("name", "corpus", "url", "http://corpus-"
                + UUID.randomUUID() + ".invalid:1", "device", "cpu")).post("/internal/v1/workers").then()
                .statusCode(200).extract().path("id"));

        credentials.put("admin", admin);
        credentials.put("tenantAdmin", tenantAdmin.token());
        credentials.put("member", member.token());
        credentials.put("outsider", Tokens.user(Api.unique("outsider") + "@example.test"));
        credentials.put("unverified", Tokens.unverified(unverifiedEmail));
        credentials.put("apiKey", (String) created.path("key"));
        credentials.put("revokedKey", revoked);
        credentials.put("expiredKey", expired);
        credentials.put("forgedJwt", Tokens.forged());
        credentials.put("expiredJwt", Tokens.expired());
        credentials.put("wrongIssuerJwt", Tokens.wrongIssuer());
        credentials.put("unsignedJwt", Tokens.unsigned());
        credentials.put("workerJwt", workerJwt);
        InternalTokens internal = new InternalTokens();
        credentials.put("workerJwtWrongAudience", internal.issue(corpusWorker.key(), Issuers.WORKER,
                corpusWorker.id().toString(), corpusWorker.id().toString(), Duration.ofMinutes(10)));
        // what the control plane sends a worker: no use on the control plane's own API
        credentials.put("platformJwt", internalAuth.workerToken(corpusWorker.id()));
        credentials.put("workerJwtForged", internal.issue(SigningKey.generate(), Issuers.WORKER,
                Audiences.CONTROL_PLANE, corpusWorker.id().toString(), Duration.ofMinutes(10)));
        credentials.put("workerJwtExpired", Jwt.issuer(Issuers.WORKER).audience(Audiences.CONTROL_PLANE)
                .subject(corpusWorker.id().toString()).issuedAt(Instant.now().minusSeconds(7200))
                .expiresAt(Instant.now().minusSeconds(3600)).claim("jti", UUID.randomUUID().toString()).jws()
                .algorithm(SignatureAlgorithm.ES256).keyId(corpusWorker.key().keyId()).type("JWT")
                .sign(corpusWorker.key().privateKey()));

        Path file = Files.createTempFile("corpus-", ".onnx");
        Files.write(file, Fixtures.LINEAR.onnx());
        FakeWorker worker = FakeWorker.start().hold(model, 1, file)
                .join();
        values.put("workerId", worker.id().toString());
        // the model must be callable before the corpus starts
        org.awaitility.Awaitility.await().atMost(Duration.ofSeconds(10)).until(() -> io.restassured.RestAssured
                .given().header("Authorization", "Bearer " + credentials.get("apiKey"))
                .get("/v2/models/" + model + "/ready").statusCode() == 200);
        return worker;
    }

    private static String createModel(String admin, String visibility, String owner) {
        String name = Api.unique("corpus");
        Map<String, Object> body = new HashMap<>(Map.of("name", name, "visibility", visibility));
        if (owner != null) {
            body.put("owner_tenant", owner);
        }
        Api.as(admin).body(body).post("/admin/v1/models").then().statusCode(201);
        return name;
    }

    private static void upload(String admin, String model, byte[] onnx) {
        io.restassured.RestAssured.given().header("Authorization", Tokens.bearer(admin))
                .contentType("application/octet-stream").body(onnx).post("/admin/v1/models/" + model + "/versions")
                .then().statusCode(201);
    }
}
