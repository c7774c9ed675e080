package io.aiaas.console.tenant;

import io.aiaas.console.testsupport.Csrf;
import io.restassured.specification.RequestSpecification;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Posts forms as a browser does: opens the page first for its CSRF cookie and token, then sends both with the form.
 */
final class Forms {

    static final String COOKIE = Csrf.COOKIE;

    private Forms() {
    }

    /** A request carrying the CSRF cookie and form field of the page at {@code path} (which must render a form). */
    static RequestSpecification from(String path) {
        return Csrf.from(path).form();
    }

    /** The text of the element with this id (tags inside stripped), or null. */
    static String text(String html, String id) {
        Matcher m = Pattern.compile("id=\"" + Pattern.quote(id) + "\"[^>]*>(.*?)</", Pattern.DOTALL).matcher(html);
        return m.find() ? m.group(1).replaceAll("<[^>]+>", "").trim() : null;
    }
}
