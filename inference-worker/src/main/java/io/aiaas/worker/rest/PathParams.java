package io.aiaas.worker.rest;

import io.aiaas.protocol.SafeText;

import java.util.regex.Pattern;

/** Reads the model name and version segments of a path, the same way on every endpoint. */
final class PathParams {

    /** ASCII digits only ({@code \\d} would not match U+0661 either, but {@code Integer.parseInt} accepts it). */
    private static final Pattern VERSION = Pattern.compile("[1-9][0-9]{0,9}");
    private static final int MAX_NAME = 256;

    private PathParams() {
    }

    /**
     * A version is a whole number from 1 to 2147483647 written in ASCII digits without sign or leading zeros:
     * {@code +1}, {@code 01}, {@code ١} (Arabic-Indic one) and {@code 99999999999} are not version 1 (or any).
     *
     * @throws BadRequestException naming the segment otherwise
     */
    static int version(String segment) {
        if (segment != null && VERSION.matcher(segment).matches()) {
            long value = Long.parseLong(segment);
            if (value <= Integer.MAX_VALUE) {
                return (int) value;
            }
        }
        throw new BadRequestException("version '" + SafeText.forMessage(segment, 40) + "' is not a version number: "
                + "versions are whole numbers from 1 to 2147483647, in ASCII digits without sign or leading zeros");
    }

    /**
     * A name to load under: 1 to 256 characters, valid Unicode, no control characters (NUL included).
     *
     * @throws BadRequestException naming the problem otherwise
     */
    static String modelName(String name) {
        if (name == null || name.isEmpty() || name.length() > MAX_NAME) {
            throw new BadRequestException("a model name has 1 to " + MAX_NAME + " characters");
        }
        if (SafeText.hasUnpairedSurrogate(name)) {
            throw new BadRequestException("model name '" + SafeText.forMessage(name, 100)
                    + "' contains an unpaired surrogate, which is not valid Unicode");
        }
        if (name.chars().anyMatch(Character::isISOControl)) {
            throw new BadRequestException("model name '" + SafeText.forMessage(name, 100)
                    + "' contains a control character");
        }
        return name;
    }
}
