package io.aiaas.console.admin;

import static com.github.tomakehurst.wiremock.client.WireMock.get;
import static com.github.tomakehurst.wiremock.client.WireMock.getRequestedFor;
import static com.github.tomakehurst.wiremock.client.WireMock.urlPathEqualTo;
import static io.aiaas.console.admin.AdminBillingResourceTest.ACME;
import static io.restassured.RestAssured.given;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.github.tomakehurst.wiremock.WireMockServer;
import io.aiaas.console.testsupport.PlatformApiStub;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.security.TestSecurity;
import java.time.YearMonth;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.IntStream;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * The usage-retention section of the admin billing page: how long platform-api keeps raw usage rows and which months
 * it removed (whose invoice lines can no longer be drilled down to their calls), or that this could not be read while
 * the rest of the page shows.
 */
@QuarkusTest
@QuarkusTestResource(PlatformApiStub.class)
class AdminBillingRetentionTest {

    private static final String RETENTION = "/admin/v1/usage/retention";

    @PlatformApiStub.Server
    WireMockServer api;

    @BeforeEach
    void reset() {
        api.resetAll();
        PlatformApiStub.me(api, "admin@aiaas.test", true);
        PlatformApiStub.json(api, get(urlPathEqualTo("/admin/v1/invoices")), 200, "[" + ACME + "]");
        PlatformApiStub.json(api, get(urlPathEqualTo("/admin/v1/billing/receivables")), 200,
                "{\"currencies\":[]}");
    }

    /** Stubs the retention: the setting, the first instant kept (null: none removed) and the months removed. */
    private void retention(int months, String keptFrom, List<String> expired) {
        PlatformApiStub.json(api, get(urlPathEqualTo(RETENTION)), 200, "{\"retention_months\":" + months
                + ",\"kept_from\":" + (keptFrom == null ? "null" : "\"" + keptFrom + "\"") + ",\"expired_months\":["
                + String.join(",", expired.stream().map(m -> "\"" + m + "\"").toList()) + "]}");
    }

    /** The {@code count} months before 2026-01, newest first: 2025-12, 2025-11, ... */
    private static List<String> monthsBefore2026(int count) {
        return IntStream.rangeClosed(1, count).mapToObj(i -> YearMonth.of(2026, 1).minusMonths(i).toString()).toList();
    }

    private static String page() {
        return given().when().get("/admin/billing").then().statusCode(200).extract().asString();
    }

    /** The text of the element with this id, tags stripped, white space collapsed; null when there is none. */
    private static String text(String html, String id) {
        Matcher m = Pattern.compile("<(\\w+) [^>]*id=\"" + id + "\"[^>]*>(.*?)</\\1>", Pattern.DOTALL).matcher(html);
        return m.find() ? m.group(2).replaceAll("<[^>]+>", "").replaceAll("\\s+", " ").trim() : null;
    }

    /** The section of the page, up to its end tag. */
    private static String section(String html) {
        int from = html.indexOf("<section class=\"card\" id=\"usage-retention\"");
        assertTrue(from >= 0, html);
        return html.substring(from, html.indexOf("</section>", from));
    }

    @Test
    @TestSecurity(user = "admin", roles = "platform-admin")
    void rowsKeptForEverAreSaidWithTheSettingAndNoMonths() {
        retention(0, null, List.of());
        String html = page();
        String section = section(html);
        assertEquals("Raw usage rows are kept for ever (aiaas.usage.retention-months = 0)",
                text(section, "usage-retention-setting"));
        assertEquals("Raw usage rows are kept for ever (aiaas.usage.retention-months = 0).",
                text(section, "usage-retention-state"));
        assertNull(text(section, "usage-retention-kept-from"));
        assertNull(text(section, "usage-retention-months"));
        assertFalse(section.contains("usage-retention-error"), section);
        assertTrue(html.contains("data-invoice-number=\"INV-2026-10-acme-1\""), html);
        api.verify(getRequestedFor(urlPathEqualTo(RETENTION)));
    }

    @Test
    @TestSecurity(user = "admin", roles = "platform-admin")
    void rowsKeptNMonthsSayFromWhenAndTheMonthsRemoved() {
        retention(13, "2026-01-01T00:00:00Z", monthsBefore2026(3));
        String section = section(page());
        assertEquals("Raw usage rows are kept 13 months besides the current one; rows before 1 Jan 2026 (UTC) were"
                + " removed (months: 2025-12, 2025-11, 2025-10).", text(section, "usage-retention-state"));
        assertEquals("Raw usage rows are kept 13 months besides the current one",
                text(section, "usage-retention-setting"));
        assertTrue(section.contains("<span id=\"usage-retention-kept-from\">rows before"
                + " <time datetime=\"2026-01-01T00:00:00Z\">1 Jan 2026 (UTC)</time> were removed</span>"), section);
        assertEquals("(months: 2025-12, 2025-11, 2025-10)", text(section, "usage-retention-months"));
        assertTrue(section.contains("<code class=\"usage-retention-month\">2025-12</code>"), section);
        assertTrue(text(section, "usage-retention-scope").contains("calls behind an invoice's usage line"), section);
    }

    @Test
    @TestSecurity(user = "admin", roles = "platform-admin")
    void onlyTheTwelveNewestMonthsAreNamedAndTheRestCounted() {
        retention(13, "2026-01-01T00:00:00Z", monthsBefore2026(15));
        String months = text(section(page()), "usage-retention-months");
        assertEquals("(months: 2025-12, 2025-11, 2025-10, 2025-09, 2025-08, 2025-07, 2025-06, 2025-05, 2025-04,"
                + " 2025-03, 2025-02, 2025-01 and 3 more)", months);

        retention(13, "2026-01-01T00:00:00Z", monthsBefore2026(12));
        months = text(section(page()), "usage-retention-months");
        assertTrue(months.endsWith("2025-01)"), months);
        assertFalse(months.contains("more"), months);
    }

    @Test
    @TestSecurity(user = "admin", roles = "platform-admin")
    void aRetentionThatCannotBeReadIsSaidInItsSectionAndTheRestOfThePageShows() {
        PlatformApiStub.problem(api, get(urlPathEqualTo(RETENTION)), 503, "unavailable",
                "The database is not answering");
        String html = page();
        String section = section(html);
        assertEquals("The usage retention could not be read: The database is not answering",
                text(section, "usage-retention-error"));
        assertNull(text(section, "usage-retention-setting"));
        assertTrue(html.contains("data-invoice-number=\"INV-2026-10-acme-1\""), html);
        assertTrue(html.contains("id=\"receivables-none\""), html);
        assertTrue(html.contains("<form id=\"close-period\""), html);
    }
}
