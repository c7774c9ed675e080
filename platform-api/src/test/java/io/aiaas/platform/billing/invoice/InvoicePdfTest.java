package io.aiaas.platform.billing.invoice;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import io.aiaas.platform.billing.invoice.service.InvoiceLineView;
import io.aiaas.platform.billing.invoice.service.InvoicePdf;
import io.aiaas.platform.billing.invoice.service.InvoiceView;
import io.aiaas.platform.billing.payment.service.PaymentView;
import io.aiaas.platform.billing.profile.service.BillingParty;
import io.aiaas.platform.billing.tax.service.TaxView;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.UUID;
import org.apache.pdfbox.Loader;
import org.apache.pdfbox.pdmodel.PDDocument;
import org.apache.pdfbox.text.PDFTextStripper;
import org.junit.jupiter.api.Test;

/**
 * An invoice as PDF, read back with PDFBox's own text extraction: every figure as the JSON has it, every line on some
 * page however many there are, each page numbered and a draft or void one marked on each, and text the font cannot
 * show printed as {@code ?} instead of failing the document.
 */
class InvoicePdfTest {

    private static final Path DEJAVU = Path.of("/usr/share/fonts/truetype/dejavu/DejaVuSans.ttf");

    @Test
    void everyFigureIsPrintedAsTheJsonHasIt() throws IOException {
        List<InvoiceLineView> lines = List.of(
                line(1, "fee", null, null, 1, "20.00", "Monthly fee, plan Pro"),
                line(2, "usage", "iris", "requests", 12_345, "4.938", "iris, requests"),
                line(3, "usage", "resnet", "compute", 2_500_000, "0.25", "resnet, compute"),
                line(4, "credit", null, null, 0, "-5.00", "Included credit"),
                line(5, "tax", null, null, 0, "3.80", "VAT 19 % (DE)"));
        InvoiceView invoice = invoice("FINALIZED", lines, "23.99",
                new BillingParty("Müller & Søn GmbH", "Hauptstraße 1", null, "Berlin", "10115", null, "DE",
                        "DE123456789", "billing@mueller.example"),
                new PaymentView("open", 2399, "23.99", Instant.parse("2025-06-30T00:00:00Z"), null, null, null, null,
                        null, null, null, null, List.of(), null));

        Text text = read(InvoicePdf.render(invoice, InvoicePdf.Fonts.STANDARD));

        assertEquals(1, text.pages());
        for (String expected : List.of("Invoice INV-2025-05-acme-1", "From", "Example Platform Ltd", "Bill to",
                "Müller & Søn GmbH", "Hauptstraße 1", "10115 Berlin", "Tax ID: DE123456789", "2025-05",
                "2025-05-01 to 2025-06-01", "Issued 2025-06-01", "Due 2025-06-30", "Currency USD",
                "Monthly fee, plan Pro", "20.00", "iris, requests", "12,345", "4.938", "resnet, compute", "2.5 s",
                "0.25", "Included credit", "-5.00", "VAT 19 % (DE)", "3.80", "Total 23.99 USD",
                "Tax included above: VAT 19 % (DE), 3.80 USD", "Status: open", "Left to pay: 23.99 USD, due 2025-06-30",
                "INV-2025-05-acme-1, page 1 of 1")) {
            assertTrue(text.all().contains(expected), "'" + expected + "' in:\n" + text.all());
        }
        assertFalse(text.all().contains("DRAFT") || text.all().contains("VOID"), "a finalized invoice is not marked");
    }

    @Test
    void manyLinesFlowOntoNumberedPagesWithTheTableHeadOnEach() throws IOException {
        List<InvoiceLineView> lines = new ArrayList<>();
        for (int i = 1; i <= 150; i++) {
            lines.add(line(i, "usage", "model-" + i, "requests", i, i + ".00", "model-" + i + ", requests"));
        }
        Text text = read(InvoicePdf.render(invoice("FINALIZED", lines, "11325.00", null, null),
                InvoicePdf.Fonts.STANDARD));

        int pages = text.pages();
        assertTrue(pages >= 3, "150 lines fill several pages, got " + pages);
        for (int i = 1; i <= 150; i++) {
            assertTrue(text.all().contains("model-" + i + ", requests"), "line " + i);
        }
        for (int p = 1; p <= pages; p++) {
            String page = text.page(p);
            assertTrue(page.contains("INV-2025-05-acme-1, page " + p + " of " + pages), page);
            assertTrue(page.contains("Description") && page.contains("Amount (USD)"), "table head on page " + p);
        }
        assertTrue(text.page(pages).contains("Total 11325.00 USD"));
        // no issuer configured, no billing profile: addressed to the tenant
        assertTrue(text.page(1).contains("Bill to") && !text.page(1).contains("From"), text.page(1));
    }

    @Test
    void aDraftAndAVoidInvoiceSayItOnEveryPage() throws IOException {
        List<InvoiceLineView> lines = new ArrayList<>();
        for (int i = 1; i <= 90; i++) {
            lines.add(line(i, "usage", "m" + i, "items", i, "1.00", "m" + i + ", items"));
        }
        for (String state : List.of("DRAFT", "VOID")) {
            Text text = read(InvoicePdf.render(invoice(state, lines, "90.00", null, null), InvoicePdf.Fonts.STANDARD));
            assertTrue(text.pages() >= 2);
            for (int p = 1; p <= text.pages(); p++) {
                assertTrue(text.page(p).contains(state + ":") && text.page(p).contains("not payable"),
                        state + " on page " + p + ": " + text.page(p));
            }
            assertTrue(text.page(1).contains("Created 2025-06-01") && !text.page(1).contains("Issued"),
                    "a " + state + " document was never issued: " + text.page(1));
        }
    }

    @Test
    void textTheFontCannotShowPrintsAsQuestionMarks() throws IOException {
        BillingParty party = new BillingParty("Αθήνα 東京 Ltd\u0007", "Line\tone\nand two", null, null, null, null,
                null, null, null);
        Text standard = read(InvoicePdf.render(invoice("FINALIZED", List.of(), "0.00", party, null),
                InvoicePdf.Fonts.STANDARD));
        assertTrue(standard.all().contains("????? ?? Ltd?"), standard.all());
        assertTrue(standard.all().contains("Line one and two"), standard.all());

        assumeTrue(Files.isRegularFile(DEJAVU), "DejaVu Sans is not installed here");
        InvoicePdf.Fonts dejavu = InvoicePdf.Fonts.discover(Optional.empty());
        assertEquals(Optional.of(DEJAVU), dejavu.regular());
        assertEquals(Optional.of(DEJAVU.resolveSibling("DejaVuSans-Bold.ttf")), dejavu.bold());
        Text embedded = read(InvoicePdf.render(invoice("FINALIZED", List.of(), "0.00", party, null), dejavu));
        assertTrue(embedded.all().contains("Αθήνα ?? Ltd?"), "Greek as written, no CJK in DejaVu: " + embedded.all());
    }

    @Test
    void aConfiguredFontThatIsNotThereIsRefused() {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> InvoicePdf.Fonts.discover(Optional.of("/nowhere/font.ttf")));
        assertTrue(e.getMessage().contains("aiaas.billing.pdf-font"), e.getMessage());
    }

    private static InvoiceLineView line(int no, String kind, String model, String component, long quantity,
            String amount, String description) {
        return new InvoiceLineView(no, kind, model, component, quantity, 0, amount, description);
    }

    private static InvoiceView invoice(String state, List<InvoiceLineView> lines, String total, BillingParty billTo,
            PaymentView payment) {
        BillingParty issuer = billTo == null ? null : new BillingParty("Example Platform Ltd", "1 Example Road", null,
                "London", "EC1A 1AA", null, "GB", "GB999999973", "billing@platform.example");
        TaxView tax = lines.stream().anyMatch(l -> "tax".equals(l.kind()))
                ? new TaxView("standard", "VAT", "19", "DE", "3.80", null) : null;
        return new InvoiceView(UUID.randomUUID(), "INV-2025-05-acme-1", "acme", "2025-05", "INVOICE", state, "USD",
                UUID.randomUUID(), Instant.parse("2025-05-01T00:00:00Z"), Instant.parse("2025-06-01T00:00:00Z"), 0, 0,
                0, 0, 0, 0, total, null, null, Instant.parse("2025-06-01T00:00:00Z"),
                "FINALIZED".equals(state) ? Instant.parse("2025-06-01T00:10:00Z") : null,
                "VOID".equals(state) ? Instant.parse("2025-06-02T00:00:00Z") : null, billTo, issuer, payment, 0, tax,
                lines);
    }

    /** The document's text, all of it and page by page, as PDFBox extracts it (lines joined by spaces). */
    private record Text(List<String> pageTexts) {
        int pages() {
            return pageTexts.size();
        }

        String page(int n) {
            return pageTexts.get(n - 1);
        }

        String all() {
            return String.join(" ", pageTexts);
        }
    }

    private static Text read(byte[] pdf) throws IOException {
        assertTrue(new String(pdf, 0, 5, java.nio.charset.StandardCharsets.US_ASCII).equals("%PDF-"));
        try (PDDocument document = Loader.loadPDF(pdf)) {
            List<String> pages = new ArrayList<>();
            PDFTextStripper stripper = new PDFTextStripper();
            for (int p = 1; p <= document.getNumberOfPages(); p++) {
                stripper.setStartPage(p);
                stripper.setEndPage(p);
                pages.add(stripper.getText(document).replaceAll("\\s+", " "));
            }
            return new Text(pages);
        }
    }
}
