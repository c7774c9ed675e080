package io.aiaas.platform.common.validation;

/**
 * What text the platform accepts in any string it stores or looks up: no NUL character (PostgreSQL cannot store it)
 * and no unpaired UTF-16 surrogate (it cannot be encoded as UTF-8, so it would be replaced silently and a name
 * could land on a different identity).
 */
public final class Text {

    private Text() {
    }

    /** Null when the text is acceptable, else what is wrong with it. */
    public static String problem(String text) {
        if (text == null) {
            return null;
        }
        for (int i = 0; i < text.length(); i++) {
            char c = text.charAt(i);
            if (c == '\u0000') {
                return "contains a NUL character";
            }
            if (Character.isHighSurrogate(c)) {
                if (i + 1 < text.length() && Character.isLowSurrogate(text.charAt(i + 1))) {
                    i++;
                    continue;
                }
                return "contains an unpaired UTF-16 surrogate";
            }
            if (Character.isLowSurrogate(c)) {
                return "contains an unpaired UTF-16 surrogate";
            }
        }
        return null;
    }
}
