package io.aiaas.console.admin;

import static io.restassured.RestAssured.given;

import io.restassured.response.Response;
import io.restassured.specification.RequestSpecification;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/** A form's CSRF token and cookie, read from a page the way a browser gets them, for the POSTs of page tests. */
record Csrf(String cookie, String token) {

    static final String COOKIE = "aiaas-csrf";
    private static final Pattern FIELD = Pattern.compile("name=\"csrf-token\" value=\"([^\"]+)\"");

    /** GETs the page (which must contain a form) and keeps its token. */
    static Csrf from(String page) {
        Response response = given().redirects().follow(false).when().get(page);
        Matcher m = FIELD.matcher(response.asString());
        if (response.statusCode() != 200 || !m.find()) {
            throw new AssertionError("no CSRF field on " + page + " (" + response.statusCode() + ")");
        }
        return new Csrf(response.cookie(COOKIE), m.group(1));
    }

    /** A token and cookie that match, as a browser of someone who has no form page to read one from would hold. */
    static Csrf fabricated() {
        byte[] random = new byte[16];
        new java.security.SecureRandom().nextBytes(random);
        String token = java.util.Base64.getUrlEncoder().withoutPadding().encodeToString(random);
        return new Csrf(token, token);
    }

    /** A form POST with the token, as the browser sends it. */
    RequestSpecification form() {
        return given().redirects().follow(false).cookie(COOKIE, cookie).contentType("application/x-www-form-urlencoded")
                .formParam("csrf-token", token);
    }

    /** A script's request with the token in the header. */
    RequestSpecification script() {
        return given().redirects().follow(false).cookie(COOKIE, cookie).header("X-CSRF-TOKEN", token)
                .header("X-Requested-With", "JavaScript");
    }
}
