package io.aiaas.platform.billing.invoice.service;

import static io.aiaas.platform.common.web.Csv.record;

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

    private static String nullToEmpty(String value) {
        return value == null ? "" : value;
    }
}
