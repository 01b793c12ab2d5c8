package dev.framewright.api.upload;

import static dev.framewright.api.upload.PartPlan.MAX_OBJECT_BYTES;
import static dev.framewright.api.upload.PartPlan.MAX_PARTS;
import static dev.framewright.api.upload.PartPlan.MAX_PART_BYTES;
import static dev.framewright.api.upload.PartPlan.MIB;
import static dev.framewright.api.upload.PartPlan.MIN_PART_BYTES;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.Random;
import org.junit.jupiter.api.Test;

class PartPlanTest {

    private static final long GIB = 1024 * MIB;

    /** Every S3 rule, and that the parts tile the object exactly. */
    private static void assertKeepsTheRules(PartPlan plan, long size) {
        assertThat(plan.size()).isEqualTo(size);
        assertThat(plan.partCount()).isBetween(1, MAX_PARTS);
        assertThat(plan.partSize()).isBetween(MIN_PART_BYTES, MAX_PART_BYTES);
        long sum = 0;
        for (int n = 1; n <= plan.partCount(); n += Math.max(1, plan.partCount() / 50)) {
            assertThat(plan.offset(n)).isEqualTo((n - 1) * plan.partSize());
        }
        for (int n = 1; n < plan.partCount(); n++) {
            assertThat(plan.length(n)).isEqualTo(plan.partSize());
            sum += plan.length(n);
        }
        long last = plan.length(plan.partCount());
        assertThat(last).isBetween(1L, plan.partSize());
        assertThat(sum + last).isEqualTo(size);
        assertThat(plan.offset(plan.partCount()) + last).isEqualTo(size);
    }

    @Test
    void aSmallObjectIsOnePartOfItsOwnSize() {
        PartPlan plan = PartPlan.of(1000, 64 * MIB);
        assertKeepsTheRules(plan, 1000);
        assertThat(plan.partCount()).isEqualTo(1);
        assertThat(plan.length(1)).isEqualTo(1000);
    }

    @Test
    void thePreferredPartSizeIsUsedWhileItNeedsAtMostTenThousandParts() {
        PartPlan plan = PartPlan.of(10 * GIB, 64 * MIB);
        assertKeepsTheRules(plan, 10 * GIB);
        assertThat(plan.partSize()).isEqualTo(64 * MIB);
        assertThat(plan.partCount()).isEqualTo(160);
    }

    @Test
    void aPreferredPartSizeBelowFiveMibIsRaisedToIt() {
        PartPlan plan = PartPlan.of(16 * MIB, MIB);
        assertKeepsTheRules(plan, 16 * MIB);
        assertThat(plan.partSize()).isEqualTo(MIN_PART_BYTES);
        assertThat(plan.partCount()).isEqualTo(4);
        assertThat(plan.length(4)).isEqualTo(MIB);
    }

    @Test
    void objectsAboveFiveGibGetPartsLargeEnoughForTenThousand() {
        long size = 5 * GIB + 1;
        PartPlan plan = PartPlan.of(size, MIN_PART_BYTES);
        assertKeepsTheRules(plan, size);
        assertThat(plan.partCount()).isLessThanOrEqualTo(MAX_PARTS);
        assertThat(plan.partSize()).isEqualTo(MIN_PART_BYTES);
        // 100 GiB in 5 MiB parts would be 20,480 parts: the part size grows instead.
        PartPlan big = PartPlan.of(100 * GIB, MIN_PART_BYTES);
        assertKeepsTheRules(big, 100 * GIB);
        assertThat(big.partSize()).isEqualTo(11 * MIB);
        assertThat(big.partCount()).isEqualTo(9310);
    }

    @Test
    void theLargestObjectFitsTenThousandPartsBelowFiveGib() {
        PartPlan plan = PartPlan.of(MAX_OBJECT_BYTES, 64 * MIB);
        assertKeepsTheRules(plan, MAX_OBJECT_BYTES);
        assertThat(plan.partSize()).isEqualTo(525 * MIB);
        // A preferred size above 5 GiB is cut to it.
        assertKeepsTheRules(PartPlan.of(MAX_OBJECT_BYTES, 8 * 1024 * GIB), MAX_OBJECT_BYTES);
        assertThat(PartPlan.of(MAX_OBJECT_BYTES, 8 * 1024 * GIB).partSize()).isEqualTo(MAX_PART_BYTES);
    }

    @Test
    void randomSizesUpToTheMaximumKeepEveryRule() {
        Random random = new Random(17);
        long[] preferred = {0, MIB, MIN_PART_BYTES, 64 * MIB, GIB, 6 * GIB};
        for (int i = 0; i < 2000; i++) {
            long size = switch (i % 3) {
                case 0 -> 1 + (long) (random.nextDouble() * 100 * MIB);
                case 1 -> 1 + (long) (random.nextDouble() * 20 * GIB);
                default -> 1 + (long) (random.nextDouble() * MAX_OBJECT_BYTES);
            };
            assertKeepsTheRules(PartPlan.of(size, preferred[i % preferred.length]), size);
        }
    }

    @Test
    void sizesOutsideWhatS3StoresAreRefused() {
        assertThatThrownBy(() -> PartPlan.of(0, 64 * MIB)).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> PartPlan.of(MAX_OBJECT_BYTES + 1, 64 * MIB)).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> PartPlan.of(20 * MIB, 5 * MIB).length(5)).isInstanceOf(IllegalArgumentException.class);
    }
}
