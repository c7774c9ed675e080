package io.aiaas.platform.billing.invoice.service;

import java.util.List;

/**
 * An invoice as CSV (RFC 4180, CRLF line ends): a header, one record per line, then a total record whose amount is
 * the total rounded to minor units.
 */
public record InvoiceCsv(String filename, String body) {

    static final String HEADER = "invoice,line_no,kind,model,component,quantity,amount_nanos,amount,currency,description";

    static String render(InvoiceView invoice) {
        StringBuilder out = new StringBuilder(HEADER).append("\r\n");
        for (InvoiceLineView line : invoice.lines()) {
            record(out, List.of(invoice.number(), String.valueOf(line.lineNo()), line.kind(), nullToEmpty(line.model()),
                    nullToEmpty(line.component()), String.valueOf(line.quantity()), String.valueOf(line.amountNanos()),
                    line.amount(), invoice.currency(), line.description()));
        }
        record(out, List.of(invoice.number(), "", "total", "", "", "", String.valueOf(invoice.totalNanos()),
                invoice.total(), invoice.currency(), "Total, rounded to minor units"));
        return out.toString();
    }

    private static void record(StringBuilder out, List<String> fields) {
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
     * except negative amounts, which are not text.
     */
    static String escape(String field) {
        String value = field;
        if (!value.isEmpty() && "=+-@".indexOf(value.charAt(0)) >= 0 && !value.matches("-?[0-9.]+")) {
            value = "'" + value;
        }
        if (value.contains(",") || value.contains("\"") || value.contains("\n") || value.contains("\r")) {
            return '"' + value.replace("\"", "\"\"") + '"';
        }
        return value;
    }

    private static String nullToEmpty(String value) {
        return value == null ? "" : value;
    }
}
