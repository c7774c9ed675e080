package io.aiaas.console.tenant;

import static io.restassured.RestAssured.given;

import io.restassured.response.Response;
import io.restassured.specification.RequestSpecification;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Posts forms as a browser does: opens the page first for its CSRF cookie and token, then sends both with the form.
 */
final class Forms {

    static final String COOKIE = "aiaas-csrf";
    private static final Pattern TOKEN = Pattern.compile("name=\"csrf-token\" value=\"([^\"]+)\"");

    private Forms() {
    }

    /** A request carrying the CSRF cookie and form field of the page at {@code path} (which must render a form). */
    static RequestSpecification from(String path) {
        Response page = given().when().get(path);
        String cookie = page.getCookie(COOKIE);
        Matcher token = TOKEN.matcher(page.asString());
        if (cookie == null || !token.find()) {
            throw new AssertionError("no CSRF cookie or token on " + path + " (HTTP " + page.statusCode() + ")");
        }
        return given().redirects().follow(false).cookie(COOKIE, cookie).formParam("csrf-token", token.group(1));
    }

    /** The text of the element with this id (tags inside stripped), or null. */
    static String text(String html, String id) {
        Matcher m = Pattern.compile("id=\"" + Pattern.quote(id) + "\"[^>]*>(.*?)</", Pattern.DOTALL).matcher(html);
        return m.find() ? m.group(1).replaceAll("<[^>]+>", "").trim() : null;
    }
}
