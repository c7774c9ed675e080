package io.aiaas.platform.model.service;

import static org.hamcrest.MatcherAssert.assertThat;
import static org.hamcrest.Matchers.allOf;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.greaterThanOrEqualTo;
import static org.hamcrest.Matchers.lessThanOrEqualTo;

import io.aiaas.platform.model.service.VisibleModels.Canary;
import java.util.Random;
import java.util.UUID;
import org.junit.jupiter.api.Test;

/** Where tenants fall for a sticky canary: evenly, and afresh for each model and canary version. */
class CanaryBucketTest {

    private static final int TENANTS = 20_000;

    @Test
    void tenantsSpreadEvenlyOverThePercentsAndEachCanaryTakesOthers() {
        Random random = new Random(42);
        int[] buckets = new int[100];
        int quarter = 0;
        int halfOfBoth = 0;
        int halfOfBothModels = 0;
        for (int i = 0; i < TENANTS; i++) {
            UUID tenant = new UUID(random.nextLong(), random.nextLong());
            int bucket = Canary.bucket(tenant, "fraud", 2);
            assertThat(Canary.bucket(tenant, "fraud", 2), equalTo(bucket));
            buckets[bucket]++;
            quarter += bucket < 25 ? 1 : 0;
            halfOfBoth += bucket < 50 && Canary.bucket(tenant, "fraud", 3) < 50 ? 1 : 0;
            halfOfBothModels += bucket < 50 && Canary.bucket(tenant, "churn", 2) < 50 ? 1 : 0;
        }
        // 25 % of 20,000 is 5,000, one standard deviation 61: four of them either side
        assertThat(quarter, allOf(greaterThanOrEqualTo(4_755), lessThanOrEqualTo(5_245)));
        // each of the hundred places holds 200 +- 14; six deviations either side
        for (int count : buckets) {
            assertThat(count, allOf(greaterThanOrEqualTo(116), lessThanOrEqualTo(284)));
        }
        // at half, the next canary (or another model's) takes a quarter of the tenants on this one, not all of them
        assertThat(halfOfBoth, allOf(greaterThanOrEqualTo(4_755), lessThanOrEqualTo(5_245)));
        assertThat(halfOfBothModels, allOf(greaterThanOrEqualTo(4_755), lessThanOrEqualTo(5_245)));
    }
}
