package io.aiaas.platform.billing.invoice.service;

import io.aiaas.platform.billing.payment.service.PaymentView;
import io.aiaas.platform.billing.profile.service.BillingParty;
import io.aiaas.platform.billing.tax.service.TaxView;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.math.BigDecimal;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.stream.Stream;
import org.apache.pdfbox.pdmodel.PDDocument;
import org.apache.pdfbox.pdmodel.PDDocumentInformation;
import org.apache.pdfbox.pdmodel.PDPage;
import org.apache.pdfbox.pdmodel.PDPageContentStream;
import org.apache.pdfbox.pdmodel.common.PDRectangle;
import org.apache.pdfbox.pdmodel.font.PDFont;
import org.apache.pdfbox.pdmodel.font.PDType0Font;
import org.apache.pdfbox.pdmodel.font.PDType1Font;
import org.apache.pdfbox.pdmodel.font.Standard14Fonts;

/**
 * An invoice or credit note as a PDF (A4) for the tenant's records and its accountants: who it is from and addressed
 * to, period and dates, a line per invoice line with its quantity and exact amount, the total rounded to minor units,
 * the tax that applied and, for a finalized invoice, its payment state; a draft or void one says so at the top of
 * every page. It shows what the JSON says and computes nothing: no amount on it can differ from the API's.
 *
 * <p>Text is set in a TrueType font embedded as a subset ({@link Fonts#discover}: DejaVu Sans or Liberation Sans where
 * installed, or {@code aiaas.billing.pdf-font}), so names in most scripts print as written; a character the font has
 * no glyph for prints as {@code ?}. Without such a font, Helvetica (Latin-1 only). No HTTP in here.
 */
public final class InvoicePdf {

    private static final float MARGIN = 50;
    private static final float WIDTH = PDRectangle.A4.getWidth() - 2 * MARGIN;
    private static final float BODY = 9.5f;
    private static final float LEADING = 13;
    private static final float QUANTITY_RIGHT = MARGIN + 380;
    private static final float AMOUNT_RIGHT = MARGIN + WIDTH;
    private static final float DESCRIPTION_WIDTH = 270;
    private static final DateTimeFormatter DAY = DateTimeFormatter.ofPattern("uuuu-MM-dd", Locale.ROOT)
            .withZone(ZoneOffset.UTC);
    private static final List<String> KNOWN_FONTS = List.of(
            "/usr/share/fonts/truetype/dejavu/DejaVuSans.ttf",
            "/usr/share/fonts/dejavu-sans-fonts/DejaVuSans.ttf",
            "/usr/share/fonts/TTF/DejaVuSans.ttf",
            "/usr/share/fonts/dejavu/DejaVuSans.ttf",
            "/usr/share/fonts/truetype/liberation/LiberationSans-Regular.ttf");

    /**
     * The TrueType fonts a PDF is set in: regular and bold (each may be absent: Helvetica then).
     *
     * @param regular the body's font file
     * @param bold the headings' font file; the regular one when absent
     */
    public record Fonts(Optional<Path> regular, Optional<Path> bold) {

        /** Helvetica only: Latin-1 text, nothing embedded. */
        public static final Fonts STANDARD = new Fonts(Optional.empty(), Optional.empty());

        /**
         * The font configured, else the first of DejaVu Sans and Liberation Sans installed where Linux distributions
         * put them; a bold face is taken from beside the regular one when it is there by the usual name.
         *
         * @throws IllegalArgumentException when a configured font file does not exist
         */
        public static Fonts discover(Optional<String> configured) {
            Optional<Path> regular;
            if (configured.isPresent()) {
                Path path = Path.of(configured.get());
                if (!Files.isRegularFile(path)) {
                    throw new IllegalArgumentException("aiaas.billing.pdf-font is " + path + ", which is not a file");
                }
                regular = Optional.of(path);
            } else {
                regular = KNOWN_FONTS.stream().map(Path::of).filter(Files::isRegularFile).findFirst();
            }
            Optional<Path> bold = regular.flatMap(path -> Stream.of(
                    path.resolveSibling(path.getFileName().toString().replace(".ttf", "-Bold.ttf")),
                    path.resolveSibling(path.getFileName().toString().replace("-Regular.ttf", "-Bold.ttf")))
                    .filter(p -> !p.equals(path) && Files.isRegularFile(p)).findFirst());
            return new Fonts(regular, bold);
        }
    }

    /** A rendered document and the file name it is offered under. */
    public record File(String filename, byte[] bytes) {
    }

    private final InvoiceView invoice;
    private final PDDocument document;
    private final Face regular;
    private final Face bold;
    private final List<PDPage> pages = new ArrayList<>();
    private PDPageContentStream out;
    private float y;

    private InvoicePdf(InvoiceView invoice, PDDocument document, Fonts fonts) throws IOException {
        this.invoice = invoice;
        this.document = document;
        PDFont body = load(document, fonts.regular(), Standard14Fonts.FontName.HELVETICA);
        this.regular = new Face(body);
        this.bold = fonts.bold().isPresent() || fonts.regular().isEmpty()
                ? new Face(load(document, fonts.bold(), Standard14Fonts.FontName.HELVETICA_BOLD)) : regular;
    }

    /** The invoice as a PDF document's bytes. */
    public static byte[] render(InvoiceView invoice, Fonts fonts) {
        try (PDDocument document = new PDDocument()) {
            new InvoicePdf(invoice, document, fonts).write();
            ByteArrayOutputStream bytes = new ByteArrayOutputStream();
            document.save(bytes);
            return bytes.toByteArray();
        } catch (IOException e) {
            throw new UncheckedIOException("cannot render invoice " + invoice.number() + " as PDF", e);
        }
    }

    private static PDFont load(PDDocument document, Optional<Path> file, Standard14Fonts.FontName standard)
            throws IOException {
        return file.isPresent() ? PDType0Font.load(document, file.get().toFile())
                : new PDType1Font(standard);
    }

    // ---- what is printed -------------------------------------------------------------------------------------------

    private void write() throws IOException {
        PDDocumentInformation info = document.getDocumentInformation();
        info.setTitle(title());
        info.setCreator("aiaas platform-api");
        newPage();
        parties();
        details();
        lines();
        totals();
        payment();
        out.close();
        footers();
    }

    private String title() {
        return ("CREDIT_NOTE".equals(invoice.kind()) ? "Credit note " : "Invoice ") + invoice.number();
    }

    /** A draft or void invoice says so on every page; null for a finalized one. */
    private String stateWarning() {
        return switch (invoice.state()) {
            case "DRAFT" -> "DRAFT: not final, its amounts may still change; not payable";
            case "VOID" -> "VOID: this document was voided and is not payable";
            default -> null;
        };
    }

    private void parties() throws IOException {
        float top = y;
        List<String> issuer = party(invoice.issuer());
        float left = issuer.isEmpty() ? top : column(MARGIN, "From", issuer);
        y = top;
        List<String> billTo = invoice.billTo() == null ? List.of(invoice.tenant()) : party(invoice.billTo());
        float right = column(MARGIN + WIDTH / 2, "Bill to", billTo);
        y = Math.min(left, right) - LEADING;
    }

    /** A titled block of lines at x; answers the y below it. */
    private float column(float x, String heading, List<String> lines) throws IOException {
        text(bold, BODY, x, y, heading);
        y -= LEADING;
        for (String line : lines) {
            text(regular, BODY, x, y, fit(regular, BODY, line, WIDTH / 2 - 10));
            y -= LEADING;
        }
        return y;
    }

    private static List<String> party(BillingParty party) {
        List<String> lines = new ArrayList<>();
        if (party == null) {
            return lines;
        }
        add(lines, party.legalName());
        add(lines, party.addressLine1());
        add(lines, party.addressLine2());
        add(lines, join(" ", party.postalCode(), party.city()));
        add(lines, join(", ", party.region(), party.country()));
        if (party.taxId() != null) {
            lines.add("Tax ID: " + party.taxId());
        }
        add(lines, party.email());
        return lines;
    }

    private void details() throws IOException {
        List<String[]> rows = new ArrayList<>();
        rows.add(new String[] {"Number", invoice.number()});
        rows.add(new String[] {"Period", invoice.period() + " (" + day(invoice.periodStart()) + " to "
                + day(invoice.periodEnd()) + ", end excluded)"});
        rows.add(invoice.finalizedAt() != null ? new String[] {"Issued", day(invoice.finalizedAt())}
                : new String[] {"Created", day(invoice.createdAt())});
        if (invoice.payment() != null && invoice.payment().dueAt() != null) {
            rows.add(new String[] {"Due", day(invoice.payment().dueAt())});
        }
        if (invoice.voidedAt() != null) {
            rows.add(new String[] {"Voided", day(invoice.voidedAt())});
        }
        rows.add(new String[] {"Currency", invoice.currency()});
        if (invoice.reason() != null) {
            rows.add(new String[] {"Reason", invoice.reason()});
        }
        for (String[] row : rows) {
            text(bold, BODY, MARGIN, y, row[0]);
            for (String part : wrap(regular, BODY, row[1], WIDTH - 80)) {
                text(regular, BODY, MARGIN + 80, y, part);
                y -= LEADING;
            }
        }
        y -= LEADING;
    }

    private void lines() throws IOException {
        tableHeader();
        for (InvoiceLineView line : invoice.lines()) {
            List<String> description = wrap(regular, BODY, line.description(), DESCRIPTION_WIDTH);
            if (y - description.size() * LEADING < MARGIN + 2 * LEADING) {
                newPage();
                tableHeader();
            }
            String quantity = quantity(line);
            if (quantity != null) {
                right(regular, BODY, QUANTITY_RIGHT, y, quantity);
            }
            right(regular, BODY, AMOUNT_RIGHT, y, line.amount());
            for (String part : description) {
                text(regular, BODY, MARGIN, y, part);
                y -= LEADING;
            }
            y -= 3;
        }
        rule();
    }

    private void tableHeader() throws IOException {
        text(bold, BODY, MARGIN, y, "Description");
        right(bold, BODY, QUANTITY_RIGHT, y, "Quantity");
        right(bold, BODY, AMOUNT_RIGHT, y, "Amount (" + invoice.currency() + ")");
        y -= 4;
        rule();
    }

    /** Requests and items as counted; compute-seconds from the microseconds counted; none on money-only lines. */
    private static String quantity(InvoiceLineView line) {
        if (!"usage".equals(line.kind()) && !"adjustment".equals(line.kind()) && !"fee".equals(line.kind())) {
            return null;
        }
        if ("compute".equals(line.component())) {
            return new BigDecimal(line.quantity()).movePointLeft(6).stripTrailingZeros().toPlainString() + " s";
        }
        return String.format(Locale.ROOT, "%,d", line.quantity());
    }

    private void totals() throws IOException {
        ensureRoom(4);
        y -= 4;
        text(bold, 11, QUANTITY_RIGHT - 120, y, "Total");
        right(bold, 11, AMOUNT_RIGHT, y, invoice.total() + " " + invoice.currency());
        y -= LEADING + 2;
        TaxView tax = invoice.tax();
        if (tax != null) {
            String what = join(" ", tax.name(), tax.rate() == null ? null : tax.rate() + " %",
                    tax.jurisdiction() == null ? null : "(" + tax.jurisdiction() + ")");
            String line = "reverse_charge".equals(tax.treatment()) ? "Reverse charge: the customer accounts for the tax"
                    : "exempt".equals(tax.treatment()) ? "Exempt from tax"
                    : "Tax included above: " + what + (tax.amount() == null ? "" : ", " + tax.amount() + " "
                    + invoice.currency());
            for (String part : wrap(regular, BODY, line, WIDTH)) {
                text(regular, BODY, MARGIN, y, part);
                y -= LEADING;
            }
            if (tax.note() != null) {
                for (String part : wrap(regular, BODY, tax.note(), WIDTH)) {
                    text(regular, BODY, MARGIN, y, part);
                    y -= LEADING;
                }
            }
        }
        y -= LEADING;
    }

    private void payment() throws IOException {
        PaymentView payment = invoice.payment();
        if (payment == null) {
            return;
        }
        ensureRoom(4);
        text(bold, BODY, MARGIN, y, "Payment");
        y -= LEADING;
        List<String> lines = new ArrayList<>();
        lines.add("Status: " + payment.status().replace('_', ' '));
        lines.add("Left to pay: " + payment.amountDue() + " " + invoice.currency()
                + (payment.dueAt() == null ? "" : ", due " + day(payment.dueAt())));
        if (payment.paid() != null) {
            lines.add("Paid: " + payment.paid() + " " + invoice.currency()
                    + (payment.paidAt() == null ? "" : ", last on " + day(payment.paidAt())));
        }
        if (payment.refundDue() != null) {
            lines.add("Refund due to you: " + payment.refundDue() + " " + invoice.currency());
        }
        for (String line : lines) {
            text(regular, BODY, MARGIN, y, line);
            y -= LEADING;
        }
    }

    // ---- pages and text --------------------------------------------------------------------------------------------

    private void newPage() throws IOException {
        if (out != null) {
            out.close();
        }
        PDPage page = new PDPage(PDRectangle.A4);
        document.addPage(page);
        pages.add(page);
        out = new PDPageContentStream(document, page);
        y = PDRectangle.A4.getHeight() - MARGIN;
        text(bold, 16, MARGIN, y - 6, fit(bold, 16, title(), WIDTH));
        y -= 30;
        String warning = stateWarning();
        if (warning != null) {
            out.setNonStrokingColor(0.75f, 0f, 0f);
            text(bold, 11, MARGIN, y, warning);
            out.setNonStrokingColor(0f, 0f, 0f);
            y -= 20;
        }
        y -= 6;
    }

    private void ensureRoom(int lines) throws IOException {
        if (y - lines * LEADING < MARGIN + LEADING) {
            newPage();
        }
    }

    /** "page n of m" and the document's number at the foot of every page, once their count is known. */
    private void footers() throws IOException {
        for (int i = 0; i < pages.size(); i++) {
            try (PDPageContentStream foot = new PDPageContentStream(document, pages.get(i),
                    PDPageContentStream.AppendMode.APPEND, true, true)) {
                String text = regular.safe(invoice.number() + ", page " + (i + 1) + " of " + pages.size());
                foot.beginText();
                foot.setFont(regular.font(), 8);
                foot.newLineAtOffset(AMOUNT_RIGHT - regular.width(8, text), MARGIN / 2);
                foot.showText(text);
                foot.endText();
            }
        }
    }

    private void rule() throws IOException {
        out.setLineWidth(0.5f);
        out.moveTo(MARGIN, y);
        out.lineTo(MARGIN + WIDTH, y);
        out.stroke();
        y -= LEADING;
    }

    private void text(Face face, float size, float x, float at, String text) throws IOException {
        out.beginText();
        out.setFont(face.font(), size);
        out.newLineAtOffset(x, at);
        out.showText(face.safe(text));
        out.endText();
    }

    private void right(Face face, float size, float rightEdge, float at, String text) throws IOException {
        String safe = face.safe(text);
        text(face, size, rightEdge - face.width(size, safe), at, safe);
    }

    /** The text, cut with an ellipsis when it is wider than {@code width}. */
    private static String fit(Face face, float size, String text, float width) throws IOException {
        String safe = face.safe(text);
        if (face.width(size, safe) <= width) {
            return safe;
        }
        String cut = safe;
        while (!cut.isEmpty() && face.width(size, cut + "...") > width) {
            cut = cut.substring(0, cut.offsetByCodePoints(cut.length(), -1));
        }
        return cut + "...";
    }

    /** The text in lines no wider than {@code width}, broken at spaces (a word wider than a line is cut). */
    static List<String> wrap(Face face, float size, String text, float width) throws IOException {
        List<String> lines = new ArrayList<>();
        StringBuilder line = new StringBuilder();
        for (String word : face.safe(text).split(" ")) {
            String candidate = line.isEmpty() ? word : line + " " + word;
            if (face.width(size, candidate) <= width) {
                line.setLength(0);
                line.append(candidate);
            } else {
                if (!line.isEmpty()) {
                    lines.add(line.toString());
                }
                line.setLength(0);
                line.append(fit(face, size, word, width));
            }
        }
        lines.add(line.toString());
        return lines;
    }

    private static String day(Instant at) {
        return at == null ? "" : DAY.format(at);
    }

    private static void add(List<String> lines, String value) {
        if (value != null && !value.isBlank()) {
            lines.add(value);
        }
    }

    private static String join(String separator, String... parts) {
        return String.join(separator, Stream.of(parts).filter(p -> p != null && !p.isBlank()).toList());
    }

    /**
     * A font and the characters it can show: any other (a control character, or one without a glyph) is printed as
     * {@code ?} rather than failing the document.
     */
    static final class Face {
        private final PDFont font;
        private final Map<Integer, Boolean> shown = new HashMap<>();

        Face(PDFont font) {
            this.font = font;
        }

        PDFont font() {
            return font;
        }

        String safe(String text) {
            if (text == null) {
                return "";
            }
            StringBuilder out = new StringBuilder(text.length());
            text.codePoints().forEach(cp -> {
                if (Character.isWhitespace(cp)) {
                    out.append(' ');
                } else if (shown.computeIfAbsent(cp, this::canShow)) {
                    out.appendCodePoint(cp);
                } else {
                    out.append('?');
                }
            });
            return out.toString();
        }

        private boolean canShow(int codePoint) {
            if (Character.isISOControl(codePoint)) {
                return false;
            }
            try {
                font.encode(new String(Character.toChars(codePoint)));
                return true;
            } catch (IOException | IllegalArgumentException e) {
                return false;
            }
        }

        float width(float size, String safeText) throws IOException {
            return font.getStringWidth(safeText) / 1000 * size;
        }
    }
}
