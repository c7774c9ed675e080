package io.aiaas.console.testsupport;

import static io.restassured.RestAssured.given;

import io.restassured.response.Response;
import io.restassured.specification.RequestSpecification;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * A form's CSRF token and cookie, read from a page the way a browser gets them, for the POSTs of the page tests
 * (tenant and admin pages alike).
 */
public record Csrf(String cookie, String token) {

    public static final String COOKIE = "aiaas-csrf";
    private static final Pattern FIELD = Pattern.compile("name=\"csrf-token\" value=\"([^\"]+)\"");
    private static final Pattern META = Pattern.compile("<meta name=\"csrf-token\" content=\"([^\"]+)\"");

    /** GETs the page (which must contain a form) and keeps its CSRF cookie and token, as a browser does. */
    public static Csrf from(String page) {
        Response response = given().redirects().follow(false).when().get(page);
        Matcher m = FIELD.matcher(response.asString());
        String cookie = response.cookie(COOKIE);
        if (cookie == null || !m.find()) {
            throw new AssertionError("no CSRF cookie or field on " + page + " (HTTP " + response.statusCode() + ")");
        }
        return new Csrf(cookie, m.group(1));
    }

    /**
     * The token of the layout's {@code <meta name="csrf-token">}, which every signed-in page carries, also one without
     * a form: for a POST the page does not offer (a member's forged change), sent with the page's cookie.
     */
    public static String metaToken(String html) {
        Matcher m = META.matcher(html);
        if (!m.find()) {
            throw new AssertionError("no <meta name=\"csrf-token\"> on the page: is the person signed in?");
        }
        return m.group(1);
    }

    /** A token and cookie that match, as a browser of someone who has no form page to read one from would hold. */
    public static Csrf fabricated() {
        byte[] random = new byte[16];
        new java.security.SecureRandom().nextBytes(random);
        String token = java.util.Base64.getUrlEncoder().withoutPadding().encodeToString(random);
        return new Csrf(token, token);
    }

    /** A form POST with the token, as the browser sends it. */
    public RequestSpecification form() {
        return given().redirects().follow(false).cookie(COOKIE, cookie).contentType("application/x-www-form-urlencoded")
                .formParam("csrf-token", token);
    }

    /** A script's request with the token in the header. */
    public RequestSpecification script() {
        return given().redirects().follow(false).cookie(COOKIE, cookie).header("X-CSRF-TOKEN", token)
                .header("X-Requested-With", "JavaScript");
    }
}
