package io.aiaas.platform.billing.invoice.service;

import io.aiaas.platform.billing.BillingConfig;
import io.quarkus.runtime.StartupEvent;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import java.nio.file.Path;
import org.jboss.logging.Logger;

/**
 * Prints invoices as PDF ({@link InvoicePdf}) in the font chosen once at start ({@code aiaas.billing.pdf-font}, or
 * one found installed). No HTTP in here.
 */
@ApplicationScoped
public class InvoicePrinter {

    private static final Logger LOG = Logger.getLogger(InvoicePrinter.class);

    private final InvoicePdf.Fonts fonts;

    InvoicePrinter(BillingConfig config) {
        this.fonts = InvoicePdf.Fonts.discover(config.pdfFont());
    }

    /** Created at start, so that a font file that is not there stops platform-api then, not at the first print. */
    void onStart(@Observes StartupEvent event) {
        LOG.infof("invoices are printed as PDF in %s", fonts.regular().map(Path::toString)
                .orElse("Helvetica (no TrueType font found: Latin-1 text only)"));
    }

    /** The invoice as a PDF file named by its number. */
    public InvoicePdf.File print(InvoiceView invoice) {
        return new InvoicePdf.File(invoice.number() + ".pdf", InvoicePdf.render(invoice, fonts));
    }
}
