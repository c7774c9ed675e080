package io.aiaas.platform.usage.persistence;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;

/** aiaas.usage.retention-months: 0 (for ever) or at least three months. */
class UsageRetentionSettingTest {

    @Test
    void lessThanThreeMonthsOrANegativeValueIsRefused() {
        assertEquals(0, UsageRetention.checked(0));
        assertEquals(3, UsageRetention.checked(3));
        assertEquals(25, UsageRetention.checked(25));
        for (int months : new int[] {-1, 1, 2}) {
            IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                    () -> UsageRetention.checked(months));
            assertTrue(e.getMessage().contains("at least 3"), e.getMessage());
        }
    }
}
