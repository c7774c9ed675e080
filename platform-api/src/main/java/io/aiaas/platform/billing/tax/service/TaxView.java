package io.aiaas.platform.billing.tax.service;

import com.fasterxml.jackson.annotation.JsonInclude;

/**
 * An invoice's tax as its JSON shows it: the treatment; for a rate its name, percent ({@code "19"}), jurisdiction and
 * the amount in the invoice's currency ({@code "1.90"}); the note of an exemption or a reverse charge.
 */
@JsonInclude(JsonInclude.Include.NON_NULL)
public record TaxView(String treatment, String name, String rate, String jurisdiction, String amount, String note) {
}
