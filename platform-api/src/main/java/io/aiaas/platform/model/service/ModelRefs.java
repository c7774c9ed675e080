package io.aiaas.platform.model.service;

import io.aiaas.platform.common.error.ApiException;
import java.util.regex.Pattern;

/**
 * How models and versions are named in paths, checked before any name touches SQL: names follow the same rule as
 * the {@code models.name} CHECK constraint, and versions are plain positive decimal integers within int range
 * ({@code +1}, {@code 01}, {@code 1.0} or non-ASCII digits are not version 1).
 */
public final class ModelRefs {

    /** Same rule as the CHECK constraint on models.name. */
    public static final String NAME_PATTERN = "^[A-Za-z0-9][A-Za-z0-9_.-]{0,99}$";
    private static final Pattern NAME = Pattern.compile(NAME_PATTERN);
    private static final Pattern VERSION = Pattern.compile("[1-9][0-9]{0,9}");

    private ModelRefs() {
    }

    /** Whether a model of this name can exist. */
    public static boolean isValidName(String name) {
        return name != null && NAME.matcher(name).matches();
    }

    /** The version number, or null when the text cannot name a version. */
    public static Integer versionOrNull(String text) {
        if (text == null || !VERSION.matcher(text).matches()) {
            return null;
        }
        long value = Long.parseLong(text);
        return value > Integer.MAX_VALUE ? null : (int) value;
    }

    /**
     * @throws ApiException 400 {@code invalid_version} naming the text
     */
    public static int parseVersion(String text) {
        Integer version = versionOrNull(text);
        if (version == null) {
            throw ApiException.badRequest("invalid_version", "version must be a positive integer (1 to "
                    + Integer.MAX_VALUE + ", digits only, no sign or leading zeros), got '" + shorten(text) + "'");
        }
        return version;
    }

    /** Echoes client text in a message at a bounded length. */
    public static String shorten(String text) {
        if (text == null) {
            return "";
        }
        return text.length() <= 64 ? text : text.substring(0, 64) + "...";
    }
}
