package io.aiaas.platform.common.web;

import jakarta.ws.rs.core.StreamingOutput;
import java.io.IOException;
import java.io.OutputStreamWriter;
import java.io.Writer;
import java.nio.charset.StandardCharsets;
import java.util.List;
import org.jboss.resteasy.reactive.RestResponse;

/**
 * CSV downloads (RFC 4180, CRLF line ends): writing records with quoting, and the {@code text/csv} attachment
 * response. The one CSV writer of platform-api.
 */
public final class Csv {

    private Csv() {
    }

    /** Appends one record and its CRLF. */
    public static void record(StringBuilder out, List<String> fields) {
        for (int i = 0; i < fields.size(); i++) {
            if (i > 0) {
                out.append(',');
            }
            out.append(escape(fields.get(i)));
        }
        out.append("\r\n");
    }

    /**
     * Quotes a field that holds a comma, quote or line break (RFC 4180); a text field a spreadsheet would read as a
     * formula (leading =, +, -, @) gets a leading apostrophe. Numbers are written by us and never start that way
     * except negative amounts, which are not text. Null is the empty field.
     */
    public static String escape(String field) {
        String value = field == null ? "" : field;
        if (!value.isEmpty() && "=+-@".indexOf(value.charAt(0)) >= 0 && !value.matches("-?[0-9.]+")) {
            value = "'" + value;
        }
        if (value.contains(",") || value.contains("\"") || value.contains("\n") || value.contains("\r")) {
            return '"' + value.replace("\"", "\"\"") + '"';
        }
        return value;
    }

    /**
     * 200 {@code text/csv; charset=utf-8} with {@code Content-Disposition: attachment; filename="..."}, its body
     * written by {@code body} as the answer goes out (UTF-8): for downloads too large to build in memory.
     */
    public static RestResponse<StreamingOutput> streamed(String filename, Body body) {
        StreamingOutput out = stream -> {
            Writer writer = new OutputStreamWriter(stream, StandardCharsets.UTF_8);
            body.writeTo(writer);
            writer.flush();
        };
        return RestResponse.ResponseBuilder.ok(out, "text/csv; charset=utf-8")
                .header("Content-Disposition", "attachment; filename=\"" + filename + "\"").build();
    }

    /** What writes a streamed CSV's records. */
    @FunctionalInterface
    public interface Body {
        void writeTo(Writer out) throws IOException;
    }

    /** 200 {@code text/csv; charset=utf-8} with {@code Content-Disposition: attachment; filename="..."}. */
    public static RestResponse<String> attachment(String filename, String body) {
        return RestResponse.ResponseBuilder.ok(body, "text/csv; charset=utf-8")
                .header("Content-Disposition", "attachment; filename=\"" + filename + "\"").build();
    }
}
