package io.aiaas.platform.gateway;

import io.aiaas.platform.model.service.DeprecationView;
import jakarta.ws.rs.core.Response;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.Locale;

/**
 * What an answer says about a deprecated version the caller named (or its tenant pinned): {@code Deprecation: @<unix
 * seconds>} (RFC 9745, since when), {@code Sunset: <HTTP-date>} (RFC 8594, when the platform retires it) and, with a
 * successor, {@code Link: </v2/models/{name}/versions/{n}>; rel="successor-version"} (RFC 5829).
 */
final class SunsetHeaders {

    static final String DEPRECATION = "Deprecation";
    static final String SUNSET = "Sunset";
    static final String LINK = "Link";
    /** IMF-fixdate (RFC 9110): the day of the month always has two digits, which RFC_1123_DATE_TIME does not give. */
    private static final DateTimeFormatter HTTP_DATE = DateTimeFormatter
            .ofPattern("EEE, dd MMM yyyy HH:mm:ss 'GMT'", Locale.US).withZone(ZoneOffset.UTC);

    private SunsetHeaders() {
    }

    /** Adds the headers of {@code deprecation} (none when it is null) to an answer of {@code model}. */
    static Response.ResponseBuilder add(Response.ResponseBuilder answer, String model, DeprecationView deprecation) {
        if (deprecation == null) {
            return answer;
        }
        answer.header(DEPRECATION, "@" + deprecation.deprecatedAt().getEpochSecond())
                .header(SUNSET, HTTP_DATE.format(deprecation.sunsetAt()));
        if (deprecation.successor() != null) {
            answer.header(LINK, "</v2/models/" + model + "/versions/" + deprecation.successor()
                    + ">; rel=\"successor-version\"");
        }
        return answer;
    }
}
