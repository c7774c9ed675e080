package io.aiaas.localstack;

import static org.junit.jupiter.api.Assertions.assertAll;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import com.fasterxml.jackson.databind.JsonNode;
import io.aiaas.onnx.builder.IrisDemo;
import java.math.BigDecimal;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.SQLException;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;
import java.time.YearMonth;
import java.time.ZoneOffset;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.UUID;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.openqa.selenium.Cookie;
import org.openqa.selenium.WebElement;
import org.openqa.selenium.support.ui.Select;

/**
 * The console in a real browser (headless Chromium through Selenium) against the real stack: Keycloak's own login
 * page, platform-api with its embedded PostgreSQL, a worker, and console-ui, on a stack of its own (state and logs in
 * {@code target/console-<millis>/}). alice signs in, creates a key that a program then calls the model with, and sees
 * the call and its cost on the usage page; she tries the model from its card; the admin uploads a version and watches
 * it become READY on the worker; bob reaches none of acme's pages or data; with a month of 100,000 calls seeded, every
 * main page answers in well under 300 ms; logout ends the session; the admin credits part of acme's invoice, which
 * alice then sees, and gives acme credit, which its upcoming invoice draws until the admin voids it. Screenshots of each main page land in {@code target/console-screenshots/}. Element ids and URLs are
 * those of the console contract (docs/console.md). Strangers who sign up are {@link ConsoleSelfServiceIT}'s.
 */
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class ConsoleIT {

    /** acme's plan: a flat 250 USD per 1,000 requests, so one call costs 0.25, which no formatting rounds away. */
    private static final long PRICE_PER_1K_MICROS = 250_000_000L;
    /** micro-units per 1,000 requests = nano-units per request. */
    private static final long REQUEST_NANOS = PRICE_PER_1K_MICROS;
    private static final int MONTH_ROWS = 100_000;
    private static final int LAST_MONTH_ROWS = 500;
    private static final double PAGE_LIMIT_MS = 300;
    private static final String UPLOAD_MODEL = "console-upload";
    private static final String NEW_KEY_NAME = "console-it";
    private static final Duration READY_WITHIN = Duration.ofSeconds(60);
    private static final Pattern NUMBER = Pattern.compile("\\d[\\d,.\u00a0\u202f' ]*");

    @RegisterExtension
    static final ConsoleSession session = new ConsoleSession("console");
    private static LocalStack stack;
    private static StackDb db;
    private static Path stateDir;
    private static DemoSeeder.Result demo;
    private static String admin;
    private static UUID acmeId;
    private static UUID acmePlanId;
    private static String acmeInvoiceId;

    @BeforeAll
    static void pricedAcmeWithLastMonthInvoiced() throws Exception {
        stack = session.stack();
        stateDir = session.stateDir();
        demo = session.demo();
        admin = stack.userToken("admin", "admin");
        db = new StackDb(stack);
        acmeId = db.tenantId("acme");
        acmePlanId = pricedPlanForAcme();
        acmeInvoiceId = lastMonthInvoiceOfAcme();
    }

    // ---- the flows -------------------------------------------------------------------------------------------------

    @Test
    @Order(1)
    void aliceCreatesAKeyAProgramCallsWithAndSeesTheCallAndItsCostOnTheUsagePage() throws Exception {
        ConsoleBrowser alice = session.newBrowser("alice").signIn("alice", "alice");
        assertEquals("/t/acme", alice.currentPath(), "alice, a member of acme only, lands on acme's overview");
        assertEquals("alice@acme.test", alice.text("#whoami"));
        alice.screenshot("01-tenant-overview");

        alice.open("/t/acme/keys");
        alice.waitFor("form#create-key");
        alice.find("#key-name").sendKeys(NEW_KEY_NAME);
        // a key for the demo model only (the program below calls just that one)
        new Select(alice.find("select#key-models")).selectByValue(DemoSeeder.MODEL);
        alice.click("#create-key-submit");
        String secret = alice.waitForText("#new-key-secret", Duration.ofSeconds(20));
        assertTrue(secret.startsWith("aiaas_"), "the new key's secret is shown once: " + secret);
        assertTrue(alice.has("button#copy-key"), "a copy button beside the secret");
        JsonNode key = keyNamed(NEW_KEY_NAME);
        String row = "tr[data-key-id='" + key.path("id").asText() + "']";
        assertTrue(alice.has(row), "the new key is listed");
        assertEquals(DemoSeeder.MODEL, alice.text(row + " .key-models"));
        assertEquals("[\"" + DemoSeeder.MODEL + "\"]", key.path("models").toString());
        alice.screenshot("02-tenant-keys-new-secret");

        // a program, not the browser, calls the model with the key
        ApiClient.Response answer = stack.api().postJson("/v2/models/" + DemoSeeder.MODEL + "/infer", secret,
                DemoSeeder.inferBody(IrisDemo.load().features()[0]));
        assertTrue(answer.isSuccess(), "the key works for a program: HTTP " + answer.status() + " " + answer.body());
        UUID keyId = UUID.fromString(key.path("id").asText());
        awaitUsageRow(keyId);

        String expectedCost = decimal(periodCostNanos(acmeId));
        alice.open("/t/acme/usage");
        alice.waitUntil("the usage page to count the call and its cost " + expectedCost, d -> {
            if (!alice.has("#usage-total-requests") || !alice.has("#usage-total-cost")) {
                return false;
            }
            if (number(alice.text("#usage-total-requests")) >= 1
                    && alice.text("#usage-total-cost").contains(expectedCost)) {
                return true;
            }
            alice.driver().navigate().refresh();
            return false;
        }, Duration.ofSeconds(20));
        assertFalse(expectedCost.matches("0[.,]?0*"), "the plan's price makes the call cost something");
        alice.screenshot("05-tenant-usage");

        // the same key, opened up to every model from its row (none chosen), without a new secret
        alice.open("/t/acme/keys");
        alice.click(row + " details.key-models-edit summary");
        new Select(alice.find(row + " select[name='models']")).deselectAll();
        alice.click(row + " button.save-key-models");
        alice.waitFor("#keys-done");
        assertEquals("all", alice.text(row + " .key-models"));
        assertTrue(keyNamed(NEW_KEY_NAME).path("models").isNull(), "the key may call every model now");
    }

    @Test
    @Order(2)
    void aliceTriesTheModelFromItsCardAndSeesOutputsLatencyDeviceAndCost() {
        ConsoleBrowser alice = session.signedIn("alice");
        alice.open("/t/acme/models/" + DemoSeeder.MODEL);
        alice.waitFor("#model-card");
        String prefilled = alice.find("textarea#try-request").getAttribute("value");
        assertTrue(prefilled != null && prefilled.contains(IrisDemo.INPUT),
                "the try-it panel is prefilled with the example request: " + prefilled);
        // the key alice created on the keys page (same tab) is offered by name; choosing it fills the secret in
        alice.waitUntil("the key created in this tab offered in #try-key-pick",
                d -> alice.find("#try-key-pick-wrap").isDisplayed());
        new Select(alice.find("select#try-key-pick")).selectByVisibleText(NEW_KEY_NAME);
        String chosen = alice.find("input#try-key").getAttribute("value");
        assertTrue(chosen != null && chosen.startsWith("aiaas_"), "choosing the key fills in its secret");
        alice.click("button#try-submit");
        String outputs = alice.waitForText("#try-output", Duration.ofSeconds(20));
        assertAll(
                () -> assertTrue(outputs.contains(IrisDemo.PROBABILITIES), "outputs: " + outputs),
                () -> assertFalse(alice.text("#try-latency").isBlank(), "latency shown"),
                () -> assertTrue(alice.text("#try-device").toLowerCase(Locale.ROOT).contains("cpu"),
                        "device: " + alice.text("#try-device")),
                () -> assertTrue(alice.text("#try-cost").contains("0.25"), "cost: " + alice.text("#try-cost")),
                () -> assertFalse(alice.has("#try-it-error") && !alice.text("#try-it-error").isBlank(),
                        "no error shown"));
        alice.screenshot("04-tenant-model-card-try-it");
    }

    @Test
    @Order(3)
    void adminUploadsAVersionSeesItReadyEditsAndDeletesModelsAndArchivesAPlan() throws Exception {
        ConsoleBrowser console = session.newBrowser("admin").signIn("admin", "admin");
        assertEquals("/admin/tenants", console.currentPath(), "a platform admin lands on the tenants page");
        console.screenshot("10-admin-tenants");
        // the operator's search, as a stranger types it: any case, slug or name, and a status
        console.find("#tenant-search-q").sendKeys("ACM");
        console.click("#tenant-search-submit");
        console.waitFor("#tenants-shown");
        assertTrue(console.has("tr[data-slug='acme']"), "acme matches 'ACM'");
        assertFalse(console.has("tr[data-slug='globex']"), "globex does not");
        console.open("/admin/tenants?status=suspended");
        console.waitFor("#tenants-shown");
        assertFalse(console.has("tr[data-slug='acme']"), "nobody is suspended: " + console.text("#tenants-shown"));

        stack.api().postJson("/admin/v1/models", admin, Map.of("name", UPLOAD_MODEL,
                "description", "uploaded through the console by ConsoleIT", "visibility", "public")).expect(201);
        Path onnx = stateDir.resolve(UPLOAD_MODEL + ".onnx").toAbsolutePath();
        long size = LargeMatMulModel.write(onnx, 512, 1024);
        console.open("/admin/models/" + UPLOAD_MODEL);
        console.waitFor("form#upload-version");
        console.find("input#version-file").sendKeys(onnx.toString());
        console.click("button#upload-submit");
        console.waitFor("progress#upload-progress");
        // the result says "Uploading…" at once, and the validation's outcome when the platform has answered
        console.waitUntil("the upload's outcome in #upload-result", d -> {
            String text = console.text("#upload-result");
            return text.matches("(?s).*Version \\d+ is.*") || text.contains("not accepted")
                    || text.contains("failed") || text.contains("interrupted");
        }, Duration.ofSeconds(60));
        String result = console.text("#upload-result");
        assertTrue(result.matches("(?s).*Version \\d+ is.*"), "the platform accepted the file: " + result);
        Number max = (Number) console.script("return document.getElementById('upload-progress').max");
        Number value = (Number) console.script("return document.getElementById('upload-progress').value");
        assertEquals(size, max.longValue(), "the progress bar counts the file's bytes");
        assertEquals(max.doubleValue(), value.doubleValue(), "the progress bar is full once the bytes are up");

        int version = latestVersion(UPLOAD_MODEL);
        String state = "tr[data-version='" + version + "'] .placement-state";
        // the page polls by itself: its versions table and its status line must both come to say READY
        console.waitUntil("version " + version + " READY on the worker, as the page's own polling shows", d ->
                console.findAll(state).stream().anyMatch(e -> e.getText().trim().equalsIgnoreCase("READY"))
                        && console.text("#upload-result").contains("is READY on"), READY_WITHIN);
        console.screenshot("12-admin-model-upload-ready");

        // the settings form: the model made private to acme, with a new description, in one save
        console.open("/admin/models/" + UPLOAD_MODEL);
        WebElement description = console.find("textarea#edit-description");
        description.clear();
        description.sendKeys("private to acme since ConsoleIT");
        new Select(console.find("select#edit-visibility")).selectByValue("private");
        new Select(console.find("select#edit-owner")).selectByValue("acme");
        console.click("button#edit-model-submit");
        // the page is being replaced meanwhile: while it loads, its paragraph may not be there yet (findAll does not
        // throw for that, and an element gone stale is asked for again)
        console.waitUntil("the saved settings on the model page", d -> console.findAll("h1 + p").stream()
                .anyMatch(p -> p.getText().contains("private to acme since ConsoleIT")));
        assertTrue(console.text("h1 + p").contains("owned by acme"), console.text("h1 + p"));
        JsonNode card = stack.api().get("/admin/v1/models/" + UPLOAD_MODEL, admin).expect(200).json();
        assertEquals(List.of("private", "acme", "private to acme since ConsoleIT"), List.of(
                card.path("visibility").asText(), card.path("owner_tenant").asText(), card.path("description").asText()));

        // a plan archived on its page is no longer offered on a tenant's page; restored, it is offered again
        String legacy = stack.api().postJson("/admin/v1/plans", admin, Map.of("name", "Legacy ConsoleIT",
                "currency", "USD", "monthly_fee_micros", 0, "included_credit_micros", 0, "prices",
                List.of(Map.of("per_1k_requests", Map.of("tiers", List.of(Map.of("unit_micros", 1)))))))
                .expect(201).json().path("id").asText();
        String offered = "select#plan-id option[value='" + legacy + "']";
        console.open("/admin/tenants/acme");
        assertEquals(1, console.findAll(offered).size(), "a new plan is offered");
        console.open("/admin/plans/" + legacy);
        console.script("window.confirm = function () { return true; };"); // the page asks before archiving
        console.click("button#archive-plan");
        console.waitFor("#plan-archived");
        assertFalse(stack.api().get("/admin/v1/plans/" + legacy, admin).expect(200).json().path("archived_at")
                .isNull());
        console.open("/admin/tenants/acme");
        assertEquals(0, console.findAll(offered).size(), "an archived plan is not offered");
        console.open("/admin/plans/" + legacy);
        console.click("button#restore-plan");
        console.waitFor("#plan-offered");
        console.open("/admin/tenants/acme");
        assertEquals(1, console.findAll(offered).size(), "a restored plan is offered again");

        // a model deleted from its page leaves the list, which says so
        String doomed = "doomed-console-model";
        stack.api().postJson("/admin/v1/models", admin, Map.of("name", doomed, "visibility", "public")).expect(201);
        console.open("/admin/models/" + doomed);
        console.script("window.confirm = function () { return true; };"); // the page asks before deleting
        console.click("button#delete-model");
        console.waitFor("#model-deleted");
        assertFalse(console.has("tr[data-model='" + doomed + "']"), "the deleted model is not listed");
        stack.api().get("/admin/v1/models/" + doomed, admin).expect(404);
    }

    @Test
    @Order(4)
    void bobGetsTheForbiddenPageForEveryAcmePageAndSeesNoneOfItsData() {
        ConsoleBrowser bob = session.newBrowser("bob").signIn("bob", "bob");
        assertEquals("/t/globex", bob.currentPath(), "bob lands on his own tenant");
        List<String> acmeSecrets = new ArrayList<>(List.of("Acme Corp", "alice@acme.test"));
        for (JsonNode key : acmeKeys()) {
            acmeSecrets.add(key.path("prefix").asText());
        }
        ConsoleHttp http = bob.http();
        List<String> paths = List.of("/t/acme", "/t/acme/keys", "/t/acme/usage", "/t/acme/invoices/" + acmeInvoiceId,
                "/t/acme/models/" + DemoSeeder.MODEL, "/admin/tenants");
        List<String> problems = new ArrayList<>();
        for (String path : paths) {
            bob.open(path);
            if (!bob.has("h1#forbidden")) {
                problems.add(path + ": no h1#forbidden; " + bob.describePage());
            }
            leaks(bob.pageSource(), acmeSecrets).forEach(leak -> problems.add(path + ": the page shows " + leak));
            ConsoleHttp.Page page = http.get(path);
            if (page.status() != 403) {
                problems.add(path + ": HTTP " + page.status() + " instead of 403");
            }
            leaks(page.body(), acmeSecrets).forEach(leak -> problems.add(path + ": the HTML holds " + leak));
        }
        bob.open("/t/acme/keys");
        bob.screenshot("14-forbidden");
        assertTrue(problems.isEmpty(), String.join(System.lineSeparator(), problems));
    }

    @Test
    @Order(5)
    void everyMainPageAnswersInUnder300msWithAMonthOf100kCallsSeeded() throws Exception {
        Instant monthStart = YearMonth.now(ZoneOffset.UTC).atDay(1).atStartOfDay(ZoneOffset.UTC).toInstant();
        Instant now = Instant.now().truncatedTo(ChronoUnit.SECONDS);
        List<UUID> keys = acmeKeys().stream().map(k -> UUID.fromString(k.path("id").asText())).toList();
        long begin = System.nanoTime();
        UsageSeed.Written written;
        try (Connection connection = db.open()) {
            written = UsageSeed.calls(connection, acmeId, acmePlanId, LocalDate.ofInstant(monthStart, ZoneOffset.UTC),
                    monthStart, now.minusSeconds(60), MONTH_ROWS, keys, List.of(DemoSeeder.MODEL, UPLOAD_MODEL),
                    REQUEST_NANOS);
        }
        System.out.printf("RESULT seeded %,d calls of acme (%,d billable, %,d hourly roll-ups) in %d ms%n",
                written.rows(), written.billable(), written.rollups(), (System.nanoTime() - begin) / 1_000_000);
        assertEquals(MONTH_ROWS, written.rows());
        assertRollUpsAgreeWithTheRows(LocalDate.ofInstant(monthStart, ZoneOffset.UTC));

        Map<String, ConsoleBrowser> pages = new LinkedHashMap<>();
        ConsoleBrowser alice = session.signedIn("alice");
        ConsoleBrowser console = session.signedIn("admin");
        for (String path : List.of("/t/acme", "/t/acme/keys", "/t/acme/models", "/t/acme/models/" + DemoSeeder.MODEL,
                "/t/acme/usage", "/t/acme/invoices", "/t/acme/invoices/upcoming", "/t/acme/invoices/" + acmeInvoiceId,
                "/t/acme/members", "/t/acme/audit", "/t/acme/billing-profile", "/t/acme/plan")) {
            pages.put(path, alice);
        }
        for (String path : List.of("/admin/tenants", "/admin/tenants/acme", "/admin/plans", "/admin/models",
                "/admin/models/" + UPLOAD_MODEL, "/admin/workers", "/admin/billing",
                "/admin/billing/invoices/" + acmeInvoiceId, "/admin/audit")) {
            pages.put(path, console);
        }
        Map<ConsoleBrowser, ConsoleHttp> sessions = new LinkedHashMap<>();
        Map<String, ConsoleHttp> byPath = new LinkedHashMap<>();
        pages.forEach((path, browser) -> byPath.put(path, sessions.computeIfAbsent(browser, ConsoleBrowser::http)));
        PageTimings.Report report = PageTimings.report(PageTimings.time(byPath), PAGE_LIMIT_MS);
        String month = "start=" + monthStart + "&end=" + monthStart.atZone(ZoneOffset.UTC).plusMonths(1).toInstant();
        System.out.println(PageTimings.apiTimings(stack.api(), stack.userToken("alice", "alice"), List.of(
                "/api/v1/me", "/api/v1/tenants/acme/plan", "/api/v1/tenants/acme/keys",
                "/api/v1/tenants/acme/usage?" + month + "&bucket_width=1d",
                "/api/v1/tenants/acme/usage?" + month + "&bucket_width=1d&group_by=model",
                "/api/v1/tenants/acme/costs?" + month + "&bucket_width=1d",
                "/api/v1/tenants/acme/invoices")));
        System.out.println("RESULT console pages with " + MONTH_ROWS + " calls this month, median of "
                + PageTimings.ROUNDS + " rounds over all pages after one warm-up round (time to the last byte):"
                + System.lineSeparator() + report.table());
        assertTrue(report.problems().isEmpty(), String.join(System.lineSeparator(), report.problems())
                + System.lineSeparator() + report.table());
    }

    @Test
    @Order(6)
    void screenshotsOfEveryMainPageAndOneAtPhoneWidth() {
        ConsoleBrowser alice = session.signedIn("alice");
        ConsoleBrowser console = session.signedIn("admin");
        // name, browser, path, an element the page must have (the contract's)
        record Shot(String name, ConsoleBrowser browser, String path, String mustHave) {
        }
        List<Shot> shots = List.of(
                new Shot("01-tenant-overview", alice, "/t/acme", "svg#chart-requests"),
                new Shot("03-tenant-models", alice, "/t/acme/models", "table#models"),
                new Shot("05-tenant-usage", alice, "/t/acme/usage", "table#usage-table"),
                new Shot("06-tenant-invoices", alice, "/t/acme/invoices", "table#invoices"),
                new Shot("07-tenant-invoice", alice, "/t/acme/invoices/" + acmeInvoiceId, "table#invoice-lines"),
                new Shot("07-tenant-upcoming-invoice", alice, "/t/acme/invoices/upcoming", "table#invoice-lines"),
                new Shot("08-tenant-members", alice, "/t/acme/members", "table#members"),
                new Shot("09-tenant-audit", alice, "/t/acme/audit", "table#audit"),
                new Shot("10-admin-tenants", console, "/admin/tenants", "table#tenants"),
                new Shot("11-admin-plans", console, "/admin/plans", "table#plans"),
                new Shot("12-admin-models", console, "/admin/models", "table#models"),
                new Shot("13-admin-workers", console, "/admin/workers", "table#workers"),
                new Shot("20-admin-billing", console, "/admin/billing", "table#admin-invoices"));
        List<String> problems = new ArrayList<>();
        for (Shot shot : shots) {
            shot.browser().open(shot.path());
            if (!shot.browser().has(shot.mustHave())) {
                problems.add(shot.path() + ": no " + shot.mustHave() + "; " + shot.browser().describePage());
            }
            shot.browser().screenshot(shot.name());
        }

        alice.resize(ConsoleBrowser.PHONE);
        try {
            alice.open("/t/acme/usage");
            alice.waitFor("#usage-total-requests");
            long overflow = ((Number) alice.script(
                    "return document.documentElement.scrollWidth - window.innerWidth")).longValue();
            alice.screenshot("15-phone-usage");
            if (overflow > 0) {
                problems.add("/t/acme/usage at 390 px: the page is " + overflow + " px wider than the screen");
            }
        } finally {
            alice.resize(ConsoleBrowser.DESKTOP);
        }
        assertTrue(problems.isEmpty(), String.join(System.lineSeparator(), problems));
    }

    @Test
    @Order(7)
    void anExpiredSessionTellsThePageScriptAndANavigationSignsInAgain() {
        ConsoleBrowser alice = session.signedIn("alice");
        alice.open("/t/acme/keys");
        // the console's session is gone (as when it expires): only its cookie, Keycloak's SSO session stays
        for (Cookie cookie : alice.driver().manage().getCookies()) {
            if (cookie.getName().startsWith("q_session")) {
                alice.driver().manage().deleteCookieNamed(cookie.getName());
            }
        }
        alice.script("window.__answer = null; window.aiaas.fetch('/t/acme/keys')"
                + ".then(function (r) { window.__answer = r.status; });");
        alice.waitUntil("the page script's answer", d -> alice.script("return window.__answer") != null);
        assertEquals(499L, ((Number) alice.script("return window.__answer")).longValue(),
                "a page script gets 499, not Keycloak's login page");
        alice.waitUntil("the 'session expired' banner", d -> alice.has("#session-expired"));
        assertTrue(alice.text("#session-expired").contains("sign in again"));
        // a navigation goes through Keycloak (still signed in there) and back to the page asked for
        alice.open("/t/acme/usage");
        alice.waitUntil("back on the usage page, signed in", d -> "/t/acme/usage".equals(alice.currentPath())
                && alice.has("#whoami"));
    }

    @Test
    @Order(8)
    void logoutEndsTheSessionAndTheNextPageAsksToSignInAgain() {
        ConsoleBrowser alice = session.signedIn("alice");
        alice.open("/t/acme");
        alice.click("a#logout");
        alice.waitUntil("the signed-out page", d -> "/signed-out".equals(alice.currentPath()));
        alice.open("/t/acme");
        alice.waitUntil("Keycloak's login page", d -> alice.onKeycloakLoginPage(stack.keycloakUrl()));
        // the session is gone at Keycloak too, so signing in is a real login again
        alice.fillKeycloakLogin("alice", "alice");
        assertEquals("/t/acme", alice.currentPath());
    }

    @Test
    @Order(13)
    void theAdminFindsAcmesInvoiceClosesTheMonthAgainCreditsPartOfItAndRecordsItsPaymentWhichAliceThenSees() {
        String alice = stack.userToken("alice", "alice");
        String number = stack.api().get("/api/v1/tenants/acme/invoices/" + acmeInvoiceId, alice).expect(200).json()
                .path("number").asText();
        ConsoleBrowser console = session.signedIn("admin");
        console.open("/admin/billing");
        console.waitFor("table#admin-invoices");
        console.find("#filter-tenant").sendKeys("acme");
        console.click("#billing-filter-submit");
        // the unfiltered list has the row too: wait for the filtered page before looking for it
        console.waitUntil("the list filtered by acme", d -> console.currentUrl().contains("tenant=acme"));
        console.waitFor("tr[data-invoice-number='" + number + "']");

        // closing last month (the form's month) again creates nothing new: acme's invoice is already there
        console.script("window.confirm = function () { return true; };");
        console.click("#close-period-submit");
        console.waitFor("#close-report");
        assertTrue(console.text("#close-report").contains("No invoice created; 1 already closed"),
                console.text("#close-report"));

        console.open("/admin/billing?tenant=acme");
        console.click("tr[data-invoice-number='" + number + "'] a.invoice-link");
        console.waitFor("form#credit-note");
        assertTrue(console.text("#invoice-state").toLowerCase(java.util.Locale.ROOT).contains("finalized"),
                console.text("#invoice-state"));
        console.find("#credit-note-amount").sendKeys("0.25");
        console.find("#credit-note-reason").sendKeys("one call the tenant disputed");
        console.script("window.confirm = function () { return true; };");
        console.click("#credit-note-submit");
        console.waitFor("#invoice-done");
        console.screenshot("21-admin-credit-note");

        JsonNode note = null;
        for (JsonNode invoice : stack.api().get("/api/v1/tenants/acme/invoices", alice).expect(200).json()) {
            if ("CREDIT_NOTE".equals(invoice.path("kind").asText())
                    && acmeInvoiceId.equals(invoice.path("corrects_id").asText())) {
                note = invoice;
            }
        }
        assertTrue(note != null, "alice sees the credit note of acme's invoice");
        assertEquals(-25, note.path("total_minor").asLong(), "minus 0.25 USD: " + note);
        assertEquals("one call the tenant disputed", note.path("reason").asText());

        // until it is paid, alice's overview says what acme owes
        ConsoleBrowser page = session.signedIn("alice");
        String due = stack.api().get("/api/v1/tenants/acme/invoices/" + acmeInvoiceId, alice).expect(200).json()
                .path("payment").path("amount_due").asText();
        page.open("/t/acme");
        page.waitFor("#amount-owed");
        assertTrue(page.text("#amount-owed").contains("$" + due), page.text("#amount-owed"));

        // acme pays 0.10 of it first: the admin records that part on the invoice's page, which lists it in the
        // ledger and calls the invoice partially paid; alice's overview owes what is left
        console.open("/admin/billing/invoices/" + acmeInvoiceId);
        console.waitFor("form#record-payment");
        console.find("#payment-reference").sendKeys("wire ACME-0000");
        console.find("#payment-amount").sendKeys("0.10");
        console.click("#record-payment-submit");
        console.waitFor("table#payment-entries");
        JsonNode partly = stack.api().get("/api/v1/tenants/acme/invoices/" + acmeInvoiceId, alice).expect(200).json()
                .path("payment");
        assertEquals("partially_paid", partly.path("status").asText(), partly.toString());
        assertEquals(10, partly.path("paid_minor").asLong(), partly.toString());
        assertTrue(console.text("#invoice-payment").startsWith("Partially paid"), console.text("#invoice-payment"));
        assertTrue(console.text("table#payment-entries").contains("wire ACME-0000"),
                console.text("table#payment-entries"));
        console.screenshot("21b-admin-partial-payment");
        page.open("/t/acme");
        page.waitFor("#amount-owed");
        assertTrue(page.text("#amount-owed").contains("$" + partly.path("amount_due").asText()),
                page.text("#amount-owed"));

        // then what is left (no amount: all of it), and alice sees it paid with the latest reference
        console.open("/admin/billing/invoices/" + acmeInvoiceId);
        console.waitFor("form#record-payment");
        console.find("#payment-reference").sendKeys("wire ACME-0001");
        console.click("#record-payment-submit");
        console.waitFor("#payment-recorded");
        JsonNode paid = stack.api().get("/api/v1/tenants/acme/invoices/" + acmeInvoiceId, alice).expect(200).json()
                .path("payment");
        assertEquals("paid", paid.path("status").asText(), paid.toString());
        assertEquals("wire ACME-0001", paid.path("reference").asText());
        assertEquals(2, paid.path("entries").size(), paid.toString());
        // the billing page's receivables of last month count it paid: its total less the 0.25 credited
        String lastMonth = YearMonth.now(ZoneOffset.UTC).minusMonths(1).toString();
        console.open("/admin/billing?period=" + lastMonth);
        String usd = "table#receivables-table tr[data-currency='USD']";
        console.waitFor(usd);
        assertEquals("$" + paid.path("paid").asText(), console.text(usd + " td.receivables-paid"), console.text(usd));
        assertEquals("-$0.25", console.text(usd + " td.receivables-credited"), console.text(usd));
        page.open("/t/acme/invoices/" + acmeInvoiceId);
        page.waitFor("#invoice-payment-reference");
        assertTrue(page.text("#invoice-payment").startsWith("Paid"), page.text("#invoice-payment"));
        assertEquals("wire ACME-0001", page.text("#invoice-payment-reference"));
        // its PDF, as the page's link downloads it through the console: a PDF named by the invoice's number
        String pdf = (String) page.script("return fetch(arguments[0]).then(r => r.arrayBuffer().then(b => r.status"
                + " + ' ' + r.headers.get('content-type') + ' ' + r.headers.get('content-disposition') + ' '"
                + " + String.fromCharCode(...new Uint8Array(b.slice(0, 5)))));",
                page.find("a#invoice-pdf").getAttribute("href"));
        assertEquals("200 application/pdf attachment; filename=\"" + number + ".pdf\" %PDF-", pdf);
        page.open("/t/acme");
        page.waitFor("h1");
        assertFalse(page.has("#amount-owed"), "nothing is owed once it is paid");
    }

    @Test
    @Order(14)
    void theAdminGivesAcmeCreditWhichAlicesInvoicesShowAndTheUpcomingInvoiceDrawsUntilItIsVoided() {
        String alice = stack.userToken("alice", "alice");
        ConsoleBrowser console = session.signedIn("admin");
        console.open("/admin/tenants/acme");
        console.waitFor("form#grant-credit");
        console.find("#grant-amount").sendKeys("1.50");
        console.find("#grant-reason").sendKeys("outage goodwill");
        console.click("#grant-submit");
        console.waitFor("#credit-done");
        JsonNode grant = stack.api().get("/admin/v1/credits?tenant=acme", admin).expect(200).json().get(0);
        assertEquals(1_500_000_000L, grant.path("amount_nanos").asLong(), grant.toString());
        String row = "tr[data-grant-id='" + grant.path("id").asText() + "']";
        assertTrue(console.text(row).contains("outage goodwill"), console.text(row));
        console.screenshot("22-admin-credit-grant");

        ConsoleBrowser page = session.signedIn("alice");
        page.open("/t/acme/invoices");
        page.waitFor("#credit-balance-left");
        assertTrue(page.text("#credit-balance-left").contains("1.50"), page.text("#credit-balance-left"));
        // this month's calls cost far more than 1.50: the upcoming invoice draws all of it
        JsonNode upcoming = stack.api().get("/api/v1/tenants/acme/invoices/upcoming", alice).expect(200).json();
        assertEquals(-1_500_000_000L, grantLines(upcoming), upcoming.path("lines").toString());
        page.open("/t/acme/invoices/upcoming");
        page.waitFor("table#invoice-lines");
        assertTrue(page.text("table#invoice-lines").contains("outage goodwill"), page.text("table#invoice-lines"));

        console.open("/admin/tenants/acme");
        console.script("window.confirm = function () { return true; };");
        console.click("form#void-grant-" + grant.path("id").asText() + " button");
        console.waitFor("#credit-done");
        assertEquals("voided", stack.api().get("/api/v1/tenants/acme/credits", alice).expect(200).json()
                .path("grants").get(0).path("state").asText());
        assertEquals(0, grantLines(stack.api().get("/api/v1/tenants/acme/invoices/upcoming", alice).expect(200)
                .json()), "a voided grant is drawn no more");
    }

    @Test
    @Order(15)
    void aliceSetsAcmesBillingDetailsWhichTheUpcomingInvoiceCarriesButNotTheInvoiceIssuedBefore() {
        ConsoleBrowser page = session.signedIn("alice");
        page.open("/t/acme/billing-profile");
        page.waitFor("form#save-billing-profile");
        page.find("#billing-legal-name").sendKeys("Acme Corporation");
        page.find("#billing-address-line1").sendKeys("1 Road Runner Way");
        page.find("#billing-city").sendKeys("Phoenix");
        page.find("#billing-postal-code").sendKeys("85001");
        new Select(page.find("select#billing-country")).selectByValue("US");
        page.find("#billing-tax-id").sendKeys("US-12-3456789");
        page.click("#billing-profile-save");
        page.waitFor("#billing-profile-saved");
        page.screenshot("23-tenant-billing-details");
        JsonNode profile = stack.api().get("/api/v1/tenants/acme/billing-profile", stack.userToken("alice", "alice"))
                .expect(200).json();
        assertEquals("Acme Corporation", profile.path("legal_name").asText(), profile.toString());
        assertEquals("US", profile.path("country").asText());

        page.open("/t/acme/invoices/upcoming");
        page.waitFor("#invoice-bill-to-address");
        String billTo = page.text("#invoice-bill-to-address");
        assertTrue(billTo.contains("Acme Corporation") && billTo.contains("Phoenix")
                && billTo.contains("US-12-3456789"), billTo);
        page.screenshot("24-tenant-upcoming-invoice-bill-to");
        // the local stack's demo issuer, from aiaas.billing.issuer.*
        assertTrue(page.text("#invoice-from-address").contains("aiaas local demo"), page.text("#invoice-from-address"));
        // last month's invoice was issued before: it keeps what it carried, which was nothing
        page.open("/t/acme/invoices/" + acmeInvoiceId);
        page.waitFor("table#invoice-lines");
        assertTrue(page.findAll("#invoice-bill-to").isEmpty(), "an issued invoice never changes");
    }

    /** The sum of an invoice's credit grant lines, in nano-units. */
    private static long grantLines(JsonNode invoice) {
        long sum = 0;
        for (JsonNode line : invoice.path("lines")) {
            if ("grant".equals(line.path("kind").asText())) {
                sum += line.path("amount_nanos").asLong();
            }
        }
        return sum;
    }

    private static List<String> leaks(String html, List<String> secrets) {
        return secrets.stream().filter(html::contains).map(s -> "'" + s + "'").toList();
    }

    // ---- the platform through its APIs and its database -------------------------------------------------------------

    /** A plan with one flat price per request for every model, assigned to acme. */
    private static UUID pricedPlanForAcme() {
        Map<String, Object> tier = new LinkedHashMap<>();
        tier.put("up_to", null);
        tier.put("unit_micros", PRICE_PER_1K_MICROS);
        Map<String, Object> price = new LinkedHashMap<>();
        price.put("model", null);
        price.put("per_1k_requests", Map.of("tiering", "graduated", "tiers", List.of(tier)));
        Map<String, Object> plan = new LinkedHashMap<>();
        plan.put("name", "Console test");
        plan.put("currency", "USD");
        plan.put("monthly_fee_micros", 0);
        plan.put("included_credit_micros", 0);
        plan.put("prices", List.of(price));
        String planId = stack.api().postJson("/admin/v1/plans", admin, plan).expect(201).json().path("id").asText();
        stack.api().patchJson("/admin/v1/tenants/acme", admin, Map.of("plan_id", planId)).expect(200);
        return UUID.fromString(planId);
    }

    /** Some calls last month, and the month closed: acme has an invoice with lines to show. */
    private static String lastMonthInvoiceOfAcme() throws SQLException {
        YearMonth last = YearMonth.now(ZoneOffset.UTC).minusMonths(1);
        Instant from = last.atDay(1).atStartOfDay(ZoneOffset.UTC).toInstant();
        Instant to = last.plusMonths(1).atDay(1).atStartOfDay(ZoneOffset.UTC).toInstant();
        List<UUID> keys = List.of(UUID.fromString(demo.apiKeyId()));
        try (Connection connection = db.open()) {
            UsageSeed.calls(connection, acmeId, acmePlanId, last.atDay(1), from, to, LAST_MONTH_ROWS, keys,
                    List.of(DemoSeeder.MODEL), REQUEST_NANOS);
        }
        stack.api().postJson("/admin/v1/billing/close?period=" + last, admin, Map.of()).expect(200, 201);
        JsonNode invoices = stack.api().get("/api/v1/tenants/acme/invoices", stack.userToken("alice", "alice"))
                .expect(200).json();
        if (invoices.isEmpty()) {
            throw new IllegalStateException("no invoice for acme after closing " + last);
        }
        return invoices.get(0).path("id").asText();
    }

    private static List<JsonNode> acmeKeys() {
        List<JsonNode> keys = new ArrayList<>();
        stack.api().get("/api/v1/tenants/acme/keys", stack.userToken("alice", "alice")).expect(200).json()
                .forEach(keys::add);
        return keys;
    }

    private static JsonNode keyNamed(String name) {
        return acmeKeys().stream().filter(k -> name.equals(k.path("name").asText())).findFirst()
                .orElseThrow(() -> new AssertionError("acme has no key named " + name + ": " + acmeKeys()));
    }

    private static int latestVersion(String model) {
        int latest = 0;
        for (JsonNode v : stack.api().get("/admin/v1/models/" + model, admin).expect(200).json().path("versions")) {
            latest = Math.max(latest, v.path("version").asInt());
        }
        if (latest == 0) {
            throw new AssertionError("model " + model + " has no version after the upload");
        }
        return latest;
    }

    /** The usage writer batches: waits until the key's call is a row. */
    private static void awaitUsageRow(UUID keyId) throws Exception {
        Instant deadline = Instant.now().plusSeconds(15);
        while (Instant.now().isBefore(deadline)) {
            if (db.number("SELECT count(*) FROM usage_records WHERE api_key_id = ? AND billable", keyId) > 0) {
                return;
            }
            Thread.sleep(100);
        }
        fail("no usage row for key " + keyId + " within 15 s");
    }

    /** The reports read roll-ups and counters: after the seeding they still say what the rows say. */
    private static void assertRollUpsAgreeWithTheRows(LocalDate period) throws SQLException {
        long[] v = db.list("""
                WITH r AS (SELECT count(*) AS n, coalesce(sum(cost_nanos), 0) AS cost,
                               count(*) FILTER (WHERE billable) AS billable
                           FROM usage_records WHERE tenant_id = ? AND billing_period = ?),
                     h AS (SELECT coalesce(sum(requests), 0) AS n, coalesce(sum(cost_nanos), 0) AS cost
                           FROM usage_rollups WHERE tenant_id = ? AND billing_period = ?),
                     p AS (SELECT coalesce(sum(requests), 0) AS n
                           FROM period_usage WHERE tenant_id = ? AND billing_period = ? AND scope = '*')
                SELECT r.n, r.cost, r.billable, h.n, h.cost, p.n FROM r, h, p""",
                rs -> new long[] {rs.getLong(1), rs.getLong(2), rs.getLong(3), rs.getLong(4), rs.getLong(5),
                    rs.getLong(6)}, acmeId, period, acmeId, period, acmeId, period).get(0);
        assertAll(
                () -> assertEquals(v[0], v[3], "requests: rows vs roll-ups"),
                () -> assertEquals(v[1], v[4], "cost: rows vs roll-ups"),
                () -> assertEquals(v[2], v[5], "billable rows vs period counter"));
    }

    /** acme's cost so far in the current UTC month, in nano-units. */
    private static long periodCostNanos(UUID tenantId) throws SQLException {
        return db.number("SELECT coalesce(sum(cost_nanos), 0) FROM usage_records WHERE tenant_id = ? AND started_at >= ?",
                tenantId, YearMonth.now(ZoneOffset.UTC).atDay(1).atStartOfDay().atOffset(ZoneOffset.UTC));
    }

    /** Nano-units as the digits a person reads: at least two decimals, no trailing zeros beyond ("0.25"). */
    static String decimal(long nanos) {
        BigDecimal amount = BigDecimal.valueOf(nanos, 9).stripTrailingZeros();
        return amount.scale() < 2 ? amount.setScale(2).toPlainString() : amount.toPlainString();
    }

    /** The first number in a text such as "1,234 requests" (group separators of any locale dropped). */
    static long number(String text) {
        Matcher m = NUMBER.matcher(text);
        if (!m.find()) {
            throw new AssertionError("no number in '" + text + "'");
        }
        String digits = m.group().trim().replaceAll("[,.\u00a0\u202f' ]", "");
        return Long.parseLong(digits);
    }
}
