package io.aiaas.localstack;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import java.math.BigDecimal;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.temporal.ChronoUnit;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.openqa.selenium.support.ui.Select;

/**
 * Strangers in the console, in a real browser against a real stack of its own (as {@link ConsoleIT}, whose acme
 * flows it leaves alone): carol registers on Keycloak's own form, creates a tenant on the Starter plan, calls a model,
 * moves to Pro from next month and then at once; dave, whose address is unverified, joins her tenant by the account
 * id his page shows; carol sets a webhook whose test event arrives signed, chooses the two event types it receives
 * and rotates its secret with an overlap (the next event signed with both secrets), sends its first event again (and
 * every failed one: none), caps a key's monthly spend and sees its calls stop there, disables the key for a while
 * and enables it again, renames it, moves the expiry of a key about to expire (later, then never; the same secret
 * keeps working), sets a spending limit for her whole tenant on its plan page (the calls of every key stop there, and
 * go on once she removes it), and at last closes her tenant: its keys stop, its pages keep what it used and owes.
 * Screenshots land in {@code target/console-self-service-screenshots/}.
 */
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class ConsoleSelfServiceIT {

    @RegisterExtension
    static final ConsoleSession session = new ConsoleSession("console-self-service");
    private static LocalStack stack;
    private static DemoSeeder.Result demo;

    @BeforeAll
    static void stack() {
        stack = session.stack();
        demo = session.demo();
    }

    @Test
    @Order(1)
    void aStrangerRegistersCreatesATenantOnTheStarterPlanCallsAModelAndMovesToProFromNextMonthThenAtOnce() {
        ConsoleBrowser carol = session.registered("carol");
        carol.waitUntil("the sign-up form", d -> carol.has("form#signup-form"));
        assertTrue(carol.pageSource().contains(DemoSeeder.SIGNUP_PLAN), "the form says which plan a tenant starts on");
        carol.screenshot("16-signup");

        carol.find("#signup-name").sendKeys("Carol's Lab");
        carol.find("#signup-slug").sendKeys("carol-lab");
        carol.click("#signup-submit");
        carol.waitUntil("carol's new tenant's overview", d -> "/t/carol-lab".equals(carol.currentPath()));

        String token = stack.userToken("carol", ConsoleSession.password("carol"));
        JsonNode plan = stack.api().get("/api/v1/tenants/carol-lab/plan", token).expect(200).json();
        assertEquals(DemoSeeder.SIGNUP_PLAN, plan.path("plan").path("name").asText());
        String key = stack.api().postJson("/api/v1/tenants/carol-lab/keys", token, Map.of("name", "first"))
                .expect(201).json().path("key").asText();
        ApiClient.Response call = stack.api().postJson("/v2/models/" + DemoSeeder.MODEL + "/infer", key,
                DemoSeeder.inferBody(demo.sample())).expect(200);
        assertEquals("60", call.header("x-ratelimit-limit-requests").orElse(null), "the Starter plan's key limit");
        assertEquals("0.0005", call.header("x-aiaas-cost").orElse(null), "0.50 USD per 1,000 requests");
        // nothing of acme's is hers
        stack.api().get("/api/v1/tenants/acme/keys", token).expect(404);

        // as the tenant's admin she moves it to Pro, which takes effect at the start of next month
        carol.open("/t/carol-lab/plan");
        carol.waitFor("table#plan-choices");
        carol.script("window.confirm = function () { return true; };"); // the page asks before switching
        carol.click("tr[data-plan='" + DemoSeeder.UPGRADE_PLAN + "'] button.choose-plan");
        carol.waitFor("#plan-choice-saved");
        assertTrue(carol.text("#plan-next").contains(DemoSeeder.UPGRADE_PLAN), carol.text("#plan-next"));
        carol.screenshot("17-tenant-plan-choice");
        JsonNode after = stack.api().get("/api/v1/tenants/carol-lab/plan", token).expect(200).json();
        assertEquals(DemoSeeder.SIGNUP_PLAN, after.path("plan").path("name").asText(), "this month stays on Starter");
        assertEquals(DemoSeeder.UPGRADE_PLAN, after.path("next_plan").path("name").asText());
        assertEquals(OffsetDateTime.parse(after.path("period").path("end").asText()).toInstant(),
                Instant.parse(after.path("next_plan").path("effective_from").asText()),
                "Pro starts when this billing period ends");

        // then she would rather have it now: an upgrade starts at once, and the month is billed at Pro's fee
        carol.script("window.confirm = function () { return true; };");
        carol.click("tr[data-plan='" + DemoSeeder.UPGRADE_PLAN + "'] button.upgrade-plan");
        // the page before (?changed=1) has a saved notice too: wait for the upgrade's own page
        carol.waitUntil("the page after the upgrade", d -> carol.currentUrl().contains("changed=now"));
        carol.waitFor("#plan-choice-saved");
        assertEquals(DemoSeeder.UPGRADE_PLAN, carol.text("#plan-current-name"));
        assertFalse(carol.has("#plan-next"), "the pending change is replaced by the upgrade");
        ApiClient.Response upgraded = stack.api().postJson("/v2/models/" + DemoSeeder.MODEL + "/infer", key,
                DemoSeeder.inferBody(demo.sample())).expect(200);
        assertEquals("600", upgraded.header("x-ratelimit-limit-requests").orElse(null), "Pro's key limit, at once");
        assertEquals("0.0004", upgraded.header("x-aiaas-cost").orElse(null), "0.40 USD per 1,000 requests");
        JsonNode upcoming = stack.api().get("/api/v1/tenants/carol-lab/invoices/upcoming", token).expect(200).json();
        assertEquals(20_000_000_000L, upcoming.path("fee_nanos").asLong(), "Pro's fee for the month: " + upcoming);
    }

    @Test
    @Order(2)
    void aSecondStrangerJoinsCarolsTenantByTheAccountIdTheConsoleShowsHim() {
        ConsoleBrowser dave = session.registered("dave");
        dave.waitFor("#account-id");
        // registered here without a mail server, his address is not verified: an invitation by e-mail cannot find him
        assertTrue(dave.text("#account-id").contains("not verified"), dave.text("#account-id"));
        String accountId = dave.text("#account-id-value");

        ConsoleBrowser carol = session.browser("carol");
        carol.open("/t/carol-lab/members");
        carol.waitFor("form#invite-member");
        carol.find("#member-email").sendKeys(accountId);
        new Select(carol.find("select#member-role")).selectByValue("member");
        carol.click("#invite-submit");
        carol.waitFor("#members-done");

        dave.open("/home");
        dave.waitUntil("dave on carol's tenant", d -> "/t/carol-lab".equals(dave.currentPath()));
        stack.api().get("/api/v1/tenants/carol-lab/keys", stack.userToken("dave", ConsoleSession.password("dave")))
                .expect(200);
    }

    @Test
    @Order(3)
    void carolSetsAWebhookAndHerReceiverGetsATestEventSignedWithTheSecretShownOnce() throws Exception {
        List<Map<String, String>> received = new java.util.concurrent.CopyOnWriteArrayList<>();
        com.sun.net.httpserver.HttpServer receiver = com.sun.net.httpserver.HttpServer.create(
                new java.net.InetSocketAddress("127.0.0.1", 0), 0);
        receiver.createContext("/hook", exchange -> {
            received.add(Map.of("signature", String.valueOf(exchange.getRequestHeaders().getFirst("x-aiaas-signature")),
                    "type", String.valueOf(exchange.getRequestHeaders().getFirst("x-aiaas-event-type")),
                    "body", new String(exchange.getRequestBody().readAllBytes(), StandardCharsets.UTF_8)));
            exchange.sendResponseHeaders(200, -1);
            exchange.close();
        });
        receiver.start();
        try {
            String url = "http://127.0.0.1:" + receiver.getAddress().getPort() + "/hook";
            ConsoleBrowser carol = session.browser("carol");
            carol.open("/t/carol-lab/webhook");
            carol.waitFor("form#set-webhook");
            carol.find("#webhook-url-input").clear();
            carol.find("#webhook-url-input").sendKeys(url);
            carol.click("#webhook-save");
            String secret = carol.waitFor("#webhook-secret").getText().trim();
            assertEquals(url, carol.text("#webhook-url"));
            carol.screenshot("18-tenant-webhook-secret");

            carol.click("#webhook-test");
            carol.waitFor("#webhook-test-queued");
            carol.waitUntil("the receiver's test event", d -> !received.isEmpty());
            Map<String, String> event = received.get(0);
            assertEquals("webhook.test", event.get("type"));
            assertTrue(signedWith(secret, event.get("signature"), event.get("body")),
                    "signed with the secret the page showed: " + event.get("signature"));
            // the page lists the delivery, and never shows the secret again
            carol.waitUntil("the delivery listed as delivered", d -> {
                carol.open("/t/carol-lab/webhook");
                return carol.findAll("table#webhook-deliveries tr[data-delivery-id]").stream()
                        .anyMatch(row -> row.getText().contains("DELIVERED"));
            });
            assertFalse(carol.has("#webhook-secret"));
            assertFalse(carol.pageSource().contains(secret), "the secret is shown only once");

            // her receiver books invoices and rotates keys, nothing else: she chooses those two event types
            carol.click("#webhook-events-all");
            List<String> wanted = List.of("invoice.finalized", "api_key.expiring");
            for (var box : carol.findAll("#webhook-events-choices input[type=checkbox]")) {
                if (box.isSelected() != wanted.contains(box.getAttribute("value"))) {
                    box.click();
                }
            }
            carol.click("#webhook-events-submit");
            carol.waitFor("#webhook-done");
            assertEquals("invoice.finalized, api_key.expiring", carol.text("#webhook-events-current"));
            carol.screenshot("18b-tenant-webhook-events");
            JsonNode webhook = stack.api().get("/api/v1/tenants/carol-lab/webhook",
                    stack.userToken("carol", ConsoleSession.password("carol"))).expect(200).json();
            assertEquals(2, webhook.path("events").size());
            assertEquals(wanted, List.of(webhook.path("events").get(0).asText(),
                    webhook.path("events").get(1).asText()));
            // a test is still sent
            carol.click("#webhook-test");
            carol.waitFor("#webhook-test-queued");
            carol.waitUntil("the receiver's second test event", d -> received.size() >= 2);
            assertEquals("webhook.test", received.get(1).get("type"));

            // she rotates the secret with an hour's overlap: the next event is signed with both, so her receiver,
            // which still knows the old secret, accepts it, and the new one works already
            new Select(carol.find("select#webhook-rotate-overlap")).selectByValue("3600");
            carol.click("#webhook-rotate-submit");
            String rotated = carol.waitFor("#webhook-secret").getText().trim();
            assertNotEquals(secret, rotated);
            assertTrue(carol.text("#webhook-previous-secret").contains(" UTC"), carol.text("#webhook-previous-secret"));
            carol.screenshot("18c-tenant-webhook-rotated");
            JsonNode overlapping = stack.api().get("/api/v1/tenants/carol-lab/webhook",
                    stack.userToken("carol", ConsoleSession.password("carol"))).expect(200).json();
            Instant until = Instant.parse(overlapping.path("previous_secret_expires_at").asText());
            assertTrue(until.isAfter(Instant.now().plusSeconds(3500)), until.toString());
            carol.click("#webhook-test");
            carol.waitFor("#webhook-test-queued");
            carol.waitUntil("the receiver's third test event", d -> received.size() >= 3);
            Map<String, String> third = received.get(2);
            assertTrue(signedWith(secret, third.get("signature"), third.get("body")),
                    "still signed with the previous secret: " + third.get("signature"));
            assertTrue(signedWith(rotated, third.get("signature"), third.get("body")),
                    "signed with the new secret: " + third.get("signature"));

            // her receiver lost the first event: she sends it again from its row; the same event (id and body)
            // arrives once more, signed as of now, and the page lists the new delivery as a repeat of the first
            carol.open("/t/carol-lab/webhook");
            JsonNode deliveries = stack.api().get("/api/v1/tenants/carol-lab/webhook/deliveries",
                    stack.userToken("carol", ConsoleSession.password("carol"))).expect(200).json();
            String first = deliveries.get(deliveries.size() - 1).path("id").asText();
            carol.click("form#redeliver-" + first + " button.redeliver");
            carol.waitFor("#webhook-done");
            carol.waitUntil("the first event again", d -> received.size() >= 4);
            assertEquals(received.get(0).get("body"), received.get(3).get("body"), "the same event, byte for byte");
            assertTrue(signedWith(rotated, received.get(3).get("signature"), received.get(3).get("body")));
            assertTrue(carol.has("tr[data-redelivery-of='" + first + "']"), carol.describePage());
            // nothing failed: "send every failed event again" over the last day finds nothing (platform-api took
            // the console's since), and the failed-only list is empty
            new Select(carol.find("select#webhook-redeliver-failed-within")).selectByValue("24h");
            carol.click("#webhook-redeliver-failed");
            assertTrue(carol.waitFor("#webhook-done").getText().contains("No event failed"), carol.describePage());
            carol.click("a#webhook-show-failed");
            carol.waitFor("#webhook-no-deliveries");
            assertTrue(carol.findAll("table#webhook-deliveries tr[data-delivery-id]").isEmpty());
        } finally {
            receiver.stop(0);
        }
    }

    @Test
    @Order(4)
    void carolCapsAKeysMonthlySpendOnTheKeysPageAndItsCallsStopThereThenDisablesEnablesAndRenamesIt() {
        ConsoleBrowser carol = session.browser("carol");
        String token = stack.userToken("carol", ConsoleSession.password("carol"));
        JsonNode created = stack.api().postJson("/api/v1/tenants/carol-lab/keys", token, Map.of("name", "capped"))
                .expect(201).json();
        String key = created.path("key").asText();
        String row = "tr[data-key-id='" + created.path("id").asText() + "']";
        stack.api().postJson("/v2/models/" + DemoSeeder.MODEL + "/infer", key, DemoSeeder.inferBody(demo.sample()))
                .expect(200); // 0.0004 on Pro

        carol.open("/t/carol-lab/keys");
        carol.waitFor(row);
        assertTrue(carol.text(row + " td.key-budget").contains("no cap"), carol.text(row + " td.key-budget"));
        carol.click(row + " details.key-budget-edit summary");
        carol.find(row + " input[name='budget']").sendKeys("0.001");
        carol.click(row + " button.save-key-budget");
        carol.waitFor("#keys-done");
        assertTrue(carol.text(row + " td.key-budget").contains("0.0004 of $0.001"), carol.text(row + " td.key-budget"));

        // 0.0004 spent and 0.0004 a call: one more fits under 0.001, the next is refused; the tenant's other keys go on
        stack.api().postJson("/v2/models/" + DemoSeeder.MODEL + "/infer", key, DemoSeeder.inferBody(demo.sample()))
                .expect(200);
        ApiClient.Response refused = stack.api().postJson("/v2/models/" + DemoSeeder.MODEL + "/infer", key,
                DemoSeeder.inferBody(demo.sample())).expect(429);
        assertTrue(refused.body().contains("budget"), refused.body());
        carol.screenshot("19-tenant-key-budget");

        carol.open("/t/carol-lab/keys");
        carol.click(row + " details.key-budget-edit summary");
        carol.find(row + " input[name='budget']").clear();
        carol.click(row + " button.save-key-budget");
        carol.waitFor("#keys-done");
        assertTrue(carol.text(row + " td.key-budget").contains("no cap"), carol.text(row + " td.key-budget"));
        stack.api().postJson("/v2/models/" + DemoSeeder.MODEL + "/infer", key, DemoSeeder.inferBody(demo.sample()))
                .expect(200);

        // disabled for a while: its calls are refused (and recorded), then it works again with the same secret
        carol.script("window.confirm = function () { return true; };"); // the page asks before disabling
        carol.click(row + " button.disable-key");
        carol.waitFor(row + " .badge.disabled");
        ApiClient.Response disabled = stack.api().postJson("/v2/models/" + DemoSeeder.MODEL + "/infer", key,
                DemoSeeder.inferBody(demo.sample())).expect(403);
        assertTrue(disabled.body().contains("disabled"), disabled.body());
        carol.click(row + " button.enable-key");
        carol.waitUntil("the key enabled again", d -> !carol.has(row + " .badge.disabled"));
        stack.api().postJson("/v2/models/" + DemoSeeder.MODEL + "/infer", key, DemoSeeder.inferBody(demo.sample()))
                .expect(200);

        // renamed: the same secret, the new name on the page and in the API
        carol.click(row + " details.key-name-edit summary");
        carol.find(row + " input[name='name']").clear();
        carol.find(row + " input[name='name']").sendKeys("capped batch");
        carol.click(row + " button.save-key-name");
        carol.waitFor("#keys-done");
        assertTrue(carol.text("#keys-done").contains("capped batch"), carol.text("#keys-done"));
        assertEquals("capped batch", stack.api().get("/api/v1/tenants/carol-lab/keys/" + created.path("id").asText(),
                token).expect(200).json().path("name").asText());
        stack.api().postJson("/v2/models/" + DemoSeeder.MODEL + "/infer", key, DemoSeeder.inferBody(demo.sample()))
                .expect(200);
    }

    @Test
    @Order(5)
    void carolMovesTheExpiryOfAKeyThatIsAboutToExpireAndItKeepsWorkingWithTheSameSecret() {
        ConsoleBrowser carol = session.browser("carol");
        String token = stack.userToken("carol", ConsoleSession.password("carol"));
        JsonNode issued = stack.api().postJson("/api/v1/tenants/carol-lab/keys", token, Map.of("name", "nightly",
                "expires_at", Instant.now().plus(Duration.ofDays(2)).toString())).expect(201).json();
        String id = issued.path("id").asText();
        String key = issued.path("key").asText();
        String row = "tr[data-key-id='" + id + "']";

        carol.open("/t/carol-lab/keys");
        carol.waitFor(row + " .key-expires-soon");
        carol.click(row + " details.key-expiry-edit summary");
        // a datetime-local input takes its value in the browser's own format when typed: set it as a script would
        String later = Instant.now().plus(Duration.ofDays(90)).truncatedTo(ChronoUnit.MINUTES).toString();
        carol.script("arguments[0].value = arguments[1];", carol.find("#expires-at-" + id),
                later.substring(0, "2027-03-01T00:00".length()));
        carol.click(row + " button.save-key-expiry");
        carol.waitFor("#keys-done");
        assertTrue(carol.text("#keys-done").contains("now expires at"), carol.text("#keys-done"));
        assertFalse(carol.has(row + " .key-expires-soon"), "three months away: not soon any more");
        carol.screenshot("19b-tenant-key-expiry-moved");
        JsonNode moved = stack.api().get("/api/v1/tenants/carol-lab/keys/" + id, token).expect(200).json();
        assertEquals(Instant.parse(later), Instant.parse(moved.path("expires_at").asText()));
        stack.api().postJson("/v2/models/" + DemoSeeder.MODEL + "/infer", key, DemoSeeder.inferBody(demo.sample()))
                .expect(200);

        carol.click(row + " details.key-expiry-edit summary");
        carol.click(row + " button.never-key-expiry");
        carol.waitUntil("the key no longer expiring", d -> carol.has("#keys-done")
                && carol.text("#keys-done").contains("no longer expires"));
        assertTrue(stack.api().get("/api/v1/tenants/carol-lab/keys/" + id, token).expect(200).json()
                .path("expires_at").isNull());
    }

    @Test
    @Order(6)
    void carolSetsASpendingLimitForHerWholeTenantOnThePlanPageAndEveryKeysCallsStopThere() {
        ConsoleBrowser carol = session.browser("carol");
        String token = stack.userToken("carol", ConsoleSession.password("carol"));
        String first = stack.api().postJson("/api/v1/tenants/carol-lab/keys", token, Map.of("name", "team-a"))
                .expect(201).json().path("key").asText();
        String second = stack.api().postJson("/api/v1/tenants/carol-lab/keys", token, Map.of("name", "team-b"))
                .expect(201).json().path("key").asText();
        // what the month has cost so far (every call above has committed its row), plus two calls of 0.0004 on Pro
        long spentNanos = stack.api().get("/api/v1/tenants/carol-lab/plan", token).expect(200).json()
                .path("usage").path("cost_nanos").asLong();
        assertEquals(0, spentNanos % 1000, "whole micro-units: " + spentNanos);
        long limitMicros = spentNanos / 1000 + 800;
        String amount = BigDecimal.valueOf(limitMicros, 6).stripTrailingZeros().toPlainString();

        carol.open("/t/carol-lab/plan");
        carol.waitFor("#spending-limit-none");
        carol.find("#spending-limit-amount").sendKeys(amount);
        carol.click("#spending-limit-submit");
        carol.waitFor("#spending-limit-saved");
        assertTrue(carol.text("#spending-limit-text").contains(amount), carol.text("#spending-limit-text"));
        assertEquals(limitMicros, stack.api().get("/api/v1/tenants/carol-lab/plan", token).expect(200).json()
                .path("spending_limit").path("limit_micros").asLong());

        // two calls fit, one of each key; then neither key gets a third, whoever's turn it is
        for (String key : List.of(first, second)) {
            stack.api().postJson("/v2/models/" + DemoSeeder.MODEL + "/infer", key, DemoSeeder.inferBody(demo.sample()))
                    .expect(200);
        }
        for (String key : List.of(first, second)) {
            ApiClient.Response refused = stack.api().postJson("/v2/models/" + DemoSeeder.MODEL + "/infer", key,
                    DemoSeeder.inferBody(demo.sample())).expect(429);
            assertTrue(refused.body().contains("own monthly budget"), refused.body());
        }
        carol.open("/t/carol-lab/plan");
        carol.waitFor("#spending-limit-state");
        assertEquals("exhausted", carol.text("#spending-limit-state"));
        carol.screenshot("19c-tenant-spending-limit");

        carol.script("window.confirm = function () { return true; };"); // the page asks before removing it
        carol.click("#spending-limit-remove-submit");
        carol.waitFor("#spending-limit-none");
        stack.api().postJson("/v2/models/" + DemoSeeder.MODEL + "/infer", first, DemoSeeder.inferBody(demo.sample()))
                .expect(200);
    }

    @Test
    @Order(7)
    void carolClosesHerTenantItsKeysStopAndItsPagesKeepOnlyWhatItUsedAndOwes() {
        ConsoleBrowser carol = session.browser("carol");
        String token = stack.userToken("carol", ConsoleSession.password("carol"));
        String key = stack.api().postJson("/api/v1/tenants/carol-lab/keys", token, Map.of("name", "last"))
                .expect(201).json().path("key").asText();
        stack.api().postJson("/v2/models/" + DemoSeeder.MODEL + "/infer", key, DemoSeeder.inferBody(demo.sample()))
                .expect(200);

        // a slug typed wrong closes nothing
        carol.open("/t/carol-lab");
        carol.waitFor("form#close-tenant-form");
        carol.find("#close-confirm").sendKeys("carol-lap");
        carol.script("window.confirm = function () { return true; };"); // the page asks once more
        carol.click("#close-tenant");
        carol.waitFor("#close-tenant-form-error");
        String error = carol.text("#close-tenant-form-error");
        assertTrue(error.contains("carol-lab"), error);
        stack.api().postJson("/v2/models/" + DemoSeeder.MODEL + "/infer", key, DemoSeeder.inferBody(demo.sample()))
                .expect(200);

        carol.find("#close-confirm").clear();
        carol.find("#close-confirm").sendKeys("carol-lab");
        carol.script("window.confirm = function () { return true; };");
        carol.click("#close-tenant");
        carol.waitFor("#close-tenant-done");
        assertTrue(carol.has("#tenant-closed"), "every page of a closed tenant says so");
        assertFalse(carol.has("form#close-tenant-form"));
        carol.screenshot("20-tenant-closed");
        ApiClient.Response refused = stack.api().postJson("/v2/models/" + DemoSeeder.MODEL + "/infer", key,
                DemoSeeder.inferBody(demo.sample())).expect(401);
        assertTrue(refused.body().contains("revoked"), refused.body());

        // what it used and owes stays readable, with no form that would only be refused
        carol.open("/t/carol-lab/keys");
        carol.waitFor("#tenant-closed");
        assertFalse(carol.has("form#create-key"), "no new keys for a closed tenant");
        List<String> rows = carol.findAll("tr[data-key-id]").stream().map(row -> row.getText()).toList();
        assertTrue(rows.size() >= 3 && rows.stream().allMatch(row -> row.contains("revoked")),
                "its keys are listed, revoked: " + rows);
        carol.open("/t/carol-lab/plan");
        carol.waitFor("#tenant-closed");
        assertFalse(carol.has("button.upgrade-plan") || carol.has("button.choose-plan"));
        JsonNode upcoming = stack.api().get("/api/v1/tenants/carol-lab/invoices/upcoming", token).expect(200).json();
        assertEquals(20_000_000_000L, upcoming.path("fee_nanos").asLong(), "this month's Pro fee is still owed");
        // dave, a member, sees it closed too
        ConsoleBrowser dave = session.browser("dave");
        dave.open("/t/carol-lab");
        dave.waitFor("#tenant-closed");
    }

    /** Whether one of the {@code v1} of {@code t=<seconds>,v1=<hex>[,v1=<hex>]} is HMAC-SHA256 of {@code t.body}. */
    private static boolean signedWith(String secret, String header, String body) throws Exception {
        String t = null;
        List<String> v1 = new java.util.ArrayList<>();
        for (String part : header.split(",")) {
            String[] kv = part.split("=", 2);
            if (kv.length == 2 && kv[0].equals("t")) {
                t = kv[1];
            } else if (kv.length == 2 && kv[0].equals("v1")) {
                v1.add(kv[1]);
            }
        }
        javax.crypto.Mac mac = javax.crypto.Mac.getInstance("HmacSHA256");
        mac.init(new javax.crypto.spec.SecretKeySpec(secret.getBytes(StandardCharsets.UTF_8), "HmacSHA256"));
        return t != null && v1.contains(java.util.HexFormat.of()
                .formatHex(mac.doFinal((t + "." + body).getBytes(StandardCharsets.UTF_8))));
    }

}
