package io.aiaas.localstack;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import java.time.Duration;
import java.util.Map;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * The platform operator's fleet work in a real browser against a real stack of its own (as {@link ConsoleIT}): a new
 * node enrols with a token made on the Workers page and serves; the token and then the node's identity are revoked
 * there; a canary is set and promoted; acme is suspended with a note; a tax rate added on the tax page reaches acme's
 * upcoming invoice until acme is reverse charged; a shadow version set there gets copies of the calls, compared on the
 * real workers. Screenshots land in {@code target/console-operator-screenshots/}.
 */
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class ConsoleOperatorIT {

    @RegisterExtension
    static final ConsoleSession session = new ConsoleSession("console-operator");
    private static LocalStack stack;

    @BeforeAll
    static void stack() {
        stack = session.stack();
    }

    @Test
    @Order(1)
    void aNodeEnrolsWithATokenMadeOnTheWorkersPageServesAndIsRevokedThere() {
        ConsoleBrowser admin = session.signedIn("admin");
        admin.open("/admin/workers");
        admin.waitFor("form#create-enrolment-token");
        admin.find("#enrolment-token-name").sendKeys("gpu-node-7");
        admin.click("#create-enrolment-token-submit");
        String token = admin.waitForText("code#new-enrolment-token-secret", Duration.ofSeconds(10)).strip();
        assertTrue(token.startsWith("aiaas_enrol_"), token);
        assertTrue(admin.text("#new-enrolment-token-how").contains("AIAAS_WORKER_ENROLMENT_TOKEN"));
        admin.screenshot("30-admin-enrolment-token");
        admin.open("/admin/workers");
        admin.waitFor("table#enrolment-tokens");
        assertFalse(admin.pageSource().contains(token), "the token is shown once");

        // the new node enrols with it (not with the stack's bootstrap token), registers and is ready
        LocalStack.Worker node = stack.startWorker(Map.of("AIAAS_WORKER_ENROLMENT_TOKEN", token));
        String adminToken = stack.platformAdminToken();
        JsonNode identity = identityNamed(adminToken, node.workerName());
        JsonNode tokens = stack.api().get("/admin/v1/workers/enrolment-tokens", adminToken).expect(200).json();
        String tokenId = null;
        for (JsonNode t : tokens) {
            if (t.path("name").asText().equals("gpu-node-7")) {
                tokenId = t.path("id").asText();
                assertEquals(1, t.path("uses").asInt(), "one use: " + t);
                assertEquals("used_up", t.path("state").asText());
            }
        }
        assertEquals(tokenId, identity.path("enrolment_token_id").asText(), "enrolled with the console's token");

        admin.open("/admin/workers");
        admin.waitFor("table#worker-identities");
        String row = "tr[data-identity-id='" + identity.path("id").asText() + "']";
        assertTrue(admin.text(row).contains(node.workerName()), admin.text(row));
        assertTrue(admin.text("table#workers").contains(node.workerName()), "and it is among the workers");
        admin.screenshot("31-admin-worker-identities");

        // revoking the identity, after typing its name: its tokens are refused and it gets no calls any more
        String id = identity.path("id").asText();
        admin.script("document.querySelector(arguments[0]).open = true;", row + " details.revoke-identity");
        admin.script("window.confirm = function () { return true; };");
        admin.find("#revoke-identity-" + id + "-confirm").sendKeys(node.workerName());
        admin.click("#revoke-identity-" + id + "-submit");
        admin.waitFor("#workers-done");
        JsonNode revoked = identityNamed(adminToken, node.workerName());
        assertFalse(revoked.path("revoked_at").isNull(), revoked.toString());
        JsonNode workers = stack.api().get("/admin/v1/workers", adminToken).expect(200).json();
        for (JsonNode w : workers) {
            assertFalse(w.path("name").asText().equals(node.workerName()), "its worker row is gone: " + workers);
        }
        // the demo model is still served by the stack's own worker
        assertEquals(1, stack.api().get("/admin/v1/workers", adminToken).expect(200).json().size());
    }

    @Test
    @Order(2)
    void theAdminHoldsANewVersionBackGivesItACanaryShareAndPromotesIt() {
        String adminToken = stack.platformAdminToken();
        String model = "fraud";
        stack.api().postJson("/admin/v1/models", adminToken, Map.of("name", model, "visibility", "public",
                "description", "two versions")).expect(201);
        for (int v = 1; v <= 2; v++) {
            stack.api().postBytes("/admin/v1/models/" + model + "/versions", adminToken,
                    io.aiaas.onnx.builder.TestModels.linear().onnx(), "application/octet-stream").expect(201);
        }
        ConsoleBrowser admin = session.signedIn("admin");
        admin.open("/admin/models/" + model);
        admin.waitFor("form#edit-rollout");
        assertTrue(admin.text("p#rollout-state").contains("newest version a worker serves"),
                admin.text("p#rollout-state"));
        new org.openqa.selenium.support.ui.Select(admin.find("select#rollout-stable")).selectByValue("1");
        new org.openqa.selenium.support.ui.Select(admin.find("select#rollout-canary")).selectByValue("2");
        admin.find("input#rollout-percent").clear();
        admin.find("input#rollout-percent").sendKeys("20");
        new org.openqa.selenium.support.ui.Select(admin.find("select#canary_by")).selectByValue("tenant");
        admin.find("input#rollback_error_percent").sendKeys("5");
        admin.click("button#edit-rollout-submit");
        admin.waitUntil("the rollout saved", d -> admin.has("span#rollout-canary-badge"));
        assertTrue(admin.text("p#rollout-state").contains("version 1; version 2 takes 20 %"),
                admin.text("p#rollout-state"));
        assertEquals("canary 20 %", admin.text("span#rollout-canary-badge"));
        admin.screenshot("32-admin-model-rollout");
        JsonNode rollout = stack.api().get("/admin/v1/models/" + model, adminToken).expect(200).json()
                .path("rollout");
        assertEquals(1, rollout.path("stable_version").asInt());
        assertEquals(2, rollout.path("canary_version").asInt());
        assertEquals(20, rollout.path("canary_percent").asInt());
        assertEquals("tenant", rollout.path("canary_by").asText());
        assertEquals(5, rollout.path("rollback_error_percent").asInt());
        assertEquals(100, rollout.path("rollback_window").asInt(), "the default window");

        admin.click("button#promote-canary");
        admin.waitUntil("the canary promoted", d -> !admin.has("span#rollout-canary-badge"));
        rollout = stack.api().get("/admin/v1/models/" + model, adminToken).expect(200).json().path("rollout");
        assertEquals(2, rollout.path("stable_version").asInt());
        assertTrue(rollout.path("canary_version").isNull(), rollout.toString());
        assertTrue(admin.has("tr[data-version='2'] span#rollout-stable-badge"));
    }

    @Test
    @Order(3)
    void anOperatorSuspendsAcmeWithANoteWhichAliceAndAcmesKeysAreTold() {
        String why = "Unusual traffic from your keys; write to trust@example.com";
        ConsoleBrowser admin = session.signedIn("admin");
        admin.open("/admin/tenants/acme");
        admin.waitFor("form#tenant-status-form");
        admin.find("textarea#suspension-note").sendKeys(why);
        admin.script("window.confirm = function () { return true; };");
        admin.click("button#suspend-tenant");
        admin.waitFor("q#tenant-suspension-note");
        assertEquals(why, admin.text("q#tenant-suspension-note"));

        ConsoleBrowser alice = session.signedIn("alice");
        alice.open("/t/acme");
        alice.waitFor("p#tenant-suspended");
        assertEquals(why, alice.text("span#tenant-suspended-note"));
        alice.screenshot("33-tenant-suspended-with-note");
        ApiClient.Response refused = demoCallAnswering(403);
        assertTrue(refused.body().contains("suspended by the platform's operator: " + why), refused.body());

        admin.open("/admin/tenants/acme");
        admin.waitFor("button#resume-tenant");
        admin.script("window.confirm = function () { return true; };"); // a new page asks again
        admin.click("button#resume-tenant");
        admin.waitUntil("acme resumed", d -> !admin.has("q#tenant-suspension-note") && admin.has("#suspend-tenant"));
        demoCallAnswering(200);
    }

    @Test
    @Order(4)
    void anOperatorAddsATaxRateThatAcmesUpcomingInvoiceCarriesUntilAcmeIsReverseCharged() {
        // acme is billed to the Netherlands (alice's billing profile, through the API: its form is ConsoleIT's)
        String alice = stack.userToken("alice", "alice");
        stack.api().putJson("/api/v1/tenants/acme/billing-profile", alice, Map.of("legal_name", "Acme B.V.",
                "address_line1", "Keizersgracht 1", "city", "Amsterdam", "country", "NL")).expect(200);
        ConsoleBrowser admin = session.signedIn("admin");
        admin.open("/admin/tax-rates");
        admin.waitFor("form#new-tax-rate");
        admin.find("#tax-country").sendKeys("NL");
        admin.find("#tax-name").sendKeys("BTW");
        admin.find("#tax-rate").sendKeys("21");
        admin.click("#new-tax-rate-submit");
        admin.waitFor("#tax-rates-done");
        assertTrue(admin.text("table#tax-rates").contains("BTW"), admin.text("table#tax-rates"));
        admin.screenshot("34-admin-tax-rates");

        JsonNode upcoming = stack.api().get("/api/v1/tenants/acme/invoices/upcoming", alice).expect(200).json();
        assertEquals("NL", upcoming.path("tax").path("jurisdiction").asText(), upcoming.toString());
        long taxed = upcoming.path("total_nanos").asLong() - upcoming.path("tax_nanos").asLong();
        long cents = java.math.BigDecimal.valueOf(Math.max(0, taxed)).multiply(new java.math.BigDecimal("0.21"))
                .divide(java.math.BigDecimal.valueOf(10_000_000L), 0, java.math.RoundingMode.HALF_EVEN).longValueExact();
        assertEquals(cents * 10_000_000L, upcoming.path("tax_nanos").asLong(),
                "21 % of what is due, in whole cents: " + upcoming);
        ConsoleBrowser page = session.signedIn("alice");
        page.open("/t/acme/invoices/upcoming");
        page.waitFor("#upcoming-tax");
        assertTrue(page.text("#upcoming-tax").contains("BTW 21 % (NL)"), page.text("#upcoming-tax"));
        page.screenshot("35-tenant-upcoming-invoice-tax");

        // reverse charged on acme's page: no tax, the note instead
        admin.open("/admin/tenants/acme");
        admin.waitFor("form#edit-tax");
        new org.openqa.selenium.support.ui.Select(admin.find("select#tax-treatment")).selectByValue("reverse_charge");
        admin.find("#tax-note").sendKeys("VAT reverse charged: NL123456789B01");
        admin.click("#edit-tax-submit");
        admin.waitFor("#tax-done");
        page.open("/t/acme/invoices/upcoming");
        page.waitFor("#upcoming-tax");
        assertTrue(page.text("#upcoming-tax").contains("VAT reverse charged: NL123456789B01"),
                page.text("#upcoming-tax"));
        upcoming = stack.api().get("/api/v1/tenants/acme/invoices/upcoming", alice).expect(200).json();
        assertEquals(0, upcoming.path("tax_nanos").asLong(), upcoming.toString());
        assertEquals("reverse_charge", upcoming.path("tax").path("treatment").asText());
    }

    @Test
    @Order(5)
    void aShadowVersionSetInTheConsoleGetsCopiesOfTheCallsWhoseAnswersAreComparedOnRealWorkers() {
        String adminToken = stack.platformAdminToken();
        String model = "fraud"; // versions 1 and 2 of the same weights from the canary test, 2 stable
        stack.api().postBytes("/admin/v1/models/" + model + "/versions", adminToken, io.aiaas.onnx.builder.TestModels
                .linear(new float[][] {{1f, 0f}, {0f, 1f}, {1f, 1f}}, new float[] {0f, 0f}).onnx(),
                "application/octet-stream").expect(201);
        DemoSeeder.awaitReady(stack.api(), adminToken, model, 3, Duration.ofSeconds(60));
        DemoSeeder.awaitReady(stack.api(), adminToken, model, 1, Duration.ofSeconds(60));
        ConsoleBrowser admin = session.signedIn("admin");
        for (String[] shadow : new String[][] {{"1", "same"}, {"3", "differs"}}) {
            admin.open("/admin/models/" + model);
            admin.waitFor("form#edit-rollout");
            new org.openqa.selenium.support.ui.Select(admin.find("select#rollout-shadow")).selectByValue(shadow[0]);
            admin.find("input#rollout-shadow-percent").clear();
            admin.find("input#rollout-shadow-percent").sendKeys("100");
            admin.click("button#edit-rollout-submit");
            admin.waitUntil("the shadow saved", d -> admin.has("tr[data-version='" + shadow[0]
                    + "'] span#rollout-shadow-badge"));
            assertEquals("shadow 100 %", admin.text("span#rollout-shadow-badge"));
            if (shadow[0].equals("3")) {
                admin.screenshot("36-admin-model-shadow");
            }
            for (int i = 0; i < 10; i++) {
                ApiClient.Response answer = stack.api().postJson("/v2/models/" + model + "/infer",
                        session.demo().apiKey(), Map.of("inputs", java.util.List.of(Map.of("name",
                                io.aiaas.onnx.builder.TestModels.Linear.INPUT, "datatype", "FP32", "shape",
                                java.util.List.of(1, 3), "data", java.util.List.of(1, 2, 3)))));
                assertEquals(200, answer.status(), answer.body());
                assertEquals("2", answer.header("x-aiaas-model-version").orElse(""), "the stable version answers");
            }
            // version 1 runs the stable version's weights, version 3 others: the replica's counter says so
            long until = System.nanoTime() + java.util.concurrent.TimeUnit.SECONDS.toNanos(10);
            double counted;
            do {
                counted = shadowCalls(model, shadow[0], shadow[1]);
            } while (counted < 10 && System.nanoTime() < until);
            assertEquals(10.0, counted, "aiaas_shadow_calls_total of version " + shadow[0]);
        }
        stack.api().putJson("/admin/v1/models/" + model + "/rollout", adminToken, Map.of("stable_version", 2))
                .expect(200);
    }

    @Test
    @Order(6)
    void aSunsetSetInTheConsoleIsToldToAliceAndToCallersAndTheVersionIsRetiredAtItsDate() {
        String adminToken = stack.platformAdminToken();
        String model = "fraud"; // versions 1-3 from the tests above, 2 stable
        ConsoleBrowser admin = session.signedIn("admin");
        admin.open("/admin/models/" + model);
        admin.waitFor("form#sunset-form-1");
        // a datetime-local input is typed in the browser's locale: set its value as the picker would
        admin.script("arguments[0].value = arguments[1]", admin.find("input#sunset-at-1"), "2030-06-30T12:00");
        new org.openqa.selenium.support.ui.Select(admin.find("select#sunset-successor-1")).selectByValue("2");
        admin.find("textarea#sunset-note-1").sendKeys("Version 2 knows the 2030 categories");
        admin.click("button#sunset-submit-1");
        admin.waitUntil("the sunset saved", d -> admin.has("div#deprecation-1"));
        assertTrue(admin.text("div#deprecation-1").contains("2030-06-30 12:00 UTC"), admin.text("div#deprecation-1"));
        admin.screenshot("37-admin-model-sunset");
        JsonNode deprecation = versionOf(adminToken, model, 1).path("deprecation");
        assertEquals("2030-06-30T12:00:00Z", deprecation.path("sunset_at").asText(), deprecation.toString());
        assertEquals(2, deprecation.path("successor").asInt());

        ConsoleBrowser alice = session.signedIn("alice");
        alice.open("/t/acme/models/" + model);
        String notice = alice.waitForText("div#deprecation-1", Duration.ofSeconds(10));
        assertTrue(notice.contains("retired on 2030-06-30 12:00 UTC") && notice.contains("Use version 2"), notice);
        alice.screenshot("38-tenant-model-deprecated");

        // a call that names version 1 is told, on the real worker's answer; the stable version's calls are not
        Map<String, Object> body = Map.of("inputs", java.util.List.of(Map.of("name",
                io.aiaas.onnx.builder.TestModels.Linear.INPUT, "datatype", "FP32", "shape", java.util.List.of(1, 3),
                "data", java.util.List.of(1, 2, 3))));
        ApiClient.Response named = stack.api().postJson("/v2/models/" + model + "/versions/1/infer",
                session.demo().apiKey(), body).expect(200);
        assertEquals("Sun, 30 Jun 2030 12:00:00 GMT", named.header("Sunset").orElse(""));
        assertEquals("</v2/models/fraud/versions/2>; rel=\"successor-version\"", named.header("Link").orElse(""));
        assertTrue(named.header("Deprecation").orElse("").matches("@\\d+"), named.headers().toString());
        ApiClient.Response unnamed = stack.api().postJson("/v2/models/" + model + "/infer", session.demo().apiKey(),
                body).expect(200);
        assertTrue(unnamed.header("Sunset").isEmpty(), unnamed.headers().toString());

        // brought forward to a few seconds from now: platform-api's job retires it, and naming it is a 404
        stack.api().putJson("/admin/v1/models/" + model + "/versions/1/sunset", adminToken, Map.of("sunset_at",
                java.time.Instant.now().plusSeconds(3).toString(), "successor", 2)).expect(200);
        long until = System.nanoTime() + java.util.concurrent.TimeUnit.SECONDS.toNanos(30);
        while (!versionOf(adminToken, model, 1).path("status").asText().equals("retired")
                && System.nanoTime() < until) {
            sleep(250);
        }
        assertEquals("retired", versionOf(adminToken, model, 1).path("status").asText());
        callAnswering(session.demo().apiKey(), "/v2/models/" + model + "/versions/1/infer", body, 404);
    }

    @Test
    @Order(7)
    void globexsPrivateModelSharedWithAcmeInTheConsoleAnswersAcmesKeyUntilTheGrantIsRevoked() {
        String adminToken = stack.platformAdminToken();
        String model = "globex-scorer";
        stack.api().postJson("/admin/v1/models", adminToken, Map.of("name", model, "visibility", "private",
                "owner_tenant", "globex", "description", "globex's own")).expect(201);
        stack.api().postBytes("/admin/v1/models/" + model + "/versions", adminToken,
                io.aiaas.onnx.builder.TestModels.linear().onnx(), "application/octet-stream").expect(201);
        DemoSeeder.awaitReady(stack.api(), adminToken, model, 1, Duration.ofSeconds(60));
        Map<String, Object> body = Map.of("inputs", java.util.List.of(Map.of("name",
                io.aiaas.onnx.builder.TestModels.Linear.INPUT, "datatype", "FP32", "shape", java.util.List.of(1, 3),
                "data", java.util.List.of(1, 2, 3))));
        String path = "/v2/models/" + model + "/infer";
        assertEquals(404, stack.api().postJson(path, session.demo().apiKey(), body).status(), "not acme's model");

        ConsoleBrowser admin = session.signedIn("admin");
        admin.open("/admin/models/" + model);
        admin.waitFor("form#grant-form");
        new org.openqa.selenium.support.ui.Select(admin.find("select#grant-tenant")).selectByValue("acme");
        admin.click("button#grant-submit");
        admin.waitUntil("acme granted", d -> admin.has("table#grants tr[data-tenant='acme']"));
        admin.screenshot("39-admin-model-access");
        callAnswering(session.demo().apiKey(), path, body, 200);

        admin.click("button#revoke-grant-acme-submit");
        // the revoke button asks before it sends
        admin.driver().switchTo().alert().accept();
        admin.waitUntil("acme's grant revoked", d -> !admin.has("table#grants tr[data-tenant='acme']"));
        callAnswering(session.demo().apiKey(), path, body, 404);
    }

    @Test
    @Order(8)
    void aliceRestrictsAKeyToHerOfficeNetworkAndWidensItToTheAddressTheCallCameFrom() {
        ConsoleBrowser alice = session.signedIn("alice");
        alice.open("/t/acme/keys");
        alice.waitFor("form#create-key");
        alice.find("input#key-name").sendKeys("office only");
        alice.find("textarea#key-networks").sendKeys("203.0.113.0/24\n2001:DB8::/32");
        alice.click("button#create-key-submit");
        String secret = alice.waitForText("code#new-key-secret", Duration.ofSeconds(10));
        String keyId = alice.find("section#new-key").getAttribute("data-key-id");
        assertEquals("203.0.113.0/24, 2001:db8::/32", alice.text("td#key-networks-" + keyId));

        ApiClient.Response refused = stack.api().postJson("/v2/models/" + DemoSeeder.MODEL + "/infer", secret,
                DemoSeeder.inferBody(session.demo().sample()));
        assertEquals(403, refused.status(), refused.body());
        java.util.regex.Matcher from = java.util.regex.Pattern.compile("this call came from (\\S+) ")
                .matcher(refused.json().path("error").asText());
        assertTrue(from.find(), refused.body());

        // the address the platform saw, added in the key's row: the same key now answers
        alice.open("/t/acme/keys");
        alice.script("arguments[0].open = true", alice.find("tr[data-key-id='" + keyId + "'] details.key-networks-edit"));
        alice.find("textarea#networks-" + keyId).sendKeys("\n" + from.group(1));
        alice.click("button#networks-submit-" + keyId);
        alice.waitUntil("the networks saved", d -> alice.has("p#keys-done"));
        assertTrue(alice.text("td#key-networks-" + keyId).contains(from.group(1)), alice.text("td#key-networks-"
                + keyId));
        alice.screenshot("40-tenant-key-networks");
        callAnswering(secret, "/v2/models/" + DemoSeeder.MODEL + "/infer",
                DemoSeeder.inferBody(session.demo().sample()), 200);
    }

    private static JsonNode versionOf(String adminToken, String model, int version) {
        for (JsonNode v : stack.api().get("/admin/v1/models/" + model, adminToken).expect(200).json()
                .path("versions")) {
            if (v.path("version").asInt() == version) {
                return v;
            }
        }
        throw new AssertionError("no version " + version + " of " + model);
    }

    private static void sleep(long millis) {
        try {
            Thread.sleep(millis);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new AssertionError(e);
        }
    }

    /** platform-api's {@code aiaas_shadow_calls_total} for a model, shadow version and outcome; 0 when absent. */
    private static double shadowCalls(String model, String version, String outcome) {
        String text;
        try {
            // Prometheus' text format: the API client asks for JSON
            text = java.net.http.HttpClient.newHttpClient().send(java.net.http.HttpRequest.newBuilder(
                    java.net.URI.create(stack.api().baseUrl() + "/q/metrics")).header("Accept", "text/plain").build(),
                    java.net.http.HttpResponse.BodyHandlers.ofString()).body();
        } catch (java.io.IOException | InterruptedException e) {
            throw new AssertionError("metrics not read", e);
        }
        for (String line : text.split("\n")) {
            if (line.startsWith("aiaas_shadow_calls_total{") && line.contains("model=\"" + model + "\"")
                    && line.contains("version=\"" + version + "\"") && line.contains("outcome=\"" + outcome + "\"")) {
                return Double.parseDouble(line.substring(line.lastIndexOf(' ') + 1));
            }
        }
        return 0;
    }

    /** The demo key's call, repeated for up to 5 s until it answers {@code status} (a change reaches the key cache). */
    private static ApiClient.Response demoCallAnswering(int status) {
        return callAnswering(session.demo().apiKey(), "/v2/models/" + DemoSeeder.MODEL + "/infer",
                DemoSeeder.inferBody(session.demo().sample()), status);
    }

    /** A call with {@code key}, repeated for up to 5 s until it answers {@code status} (a change reaches every cache). */
    private static ApiClient.Response callAnswering(String key, String path, Object body, int status) {
        long until = System.nanoTime() + java.util.concurrent.TimeUnit.SECONDS.toNanos(5);
        ApiClient.Response answer;
        do {
            answer = stack.api().postJson(path, key, body);
        } while (answer.status() != status && System.nanoTime() < until);
        assertEquals(status, answer.status(), answer.body());
        return answer;
    }

    private static JsonNode identityNamed(String adminToken, String name) {
        for (JsonNode identity : stack.api().get("/admin/v1/workers/identities", adminToken).expect(200).json()) {
            if (identity.path("name").asText().equals(name)) {
                return identity;
            }
        }
        throw new AssertionError("no identity named " + name);
    }
}
