package io.aiaas.platform.usage;

import io.smallrye.config.ConfigMapping;
import io.smallrye.config.WithDefault;
import java.time.Duration;

/** Settings of usage metering and reports ({@code aiaas.usage.*}). */
@ConfigMapping(prefix = "aiaas.usage")
public interface UsageConfig {

    /**
     * How long a call waits for the commit of its usage row before it answers 503 instead (and is never billed).
     * A commit already under way when it runs out is waited for: its outcome decides the answer.
     */
    @WithDefault("5s")
    Duration commitTimeout();

    /**
     * Writer threads, each with a transaction (and a pooled connection) of its own: with two, PostgreSQL works on one
     * batch while the other commits. One tenant's batches still take turns on its period counters at the end.
     */
    @WithDefault("2")
    int writers();

    /**
     * Rows that must be waiting before a writer other than the first starts a batch. The first writer takes every row
     * as it comes; the others help only with a backlog. Below it, a second writer would only split a trickle of rows
     * into more, smaller transactions (each with its commit and its round trips) that mostly wait on the first one's
     * locks of the same tenant's counters. 0: every writer takes rows as they come.
     */
    @WithDefault("16")
    int helperBacklog();

    /** Most rows written in one batch (one transaction). */
    @WithDefault("500")
    int maxBatch();

    /** Most rows waiting for the writer; beyond it a call is refused (503) instead of queueing without bound. */
    @WithDefault("20000")
    int maxQueued();

    /** When the monthly partitions of usage_records are created ahead (Quartz cron, daily by default). */
    @WithDefault("0 17 3 * * ?")
    String partitionCron();

    /**
     * How many whole months of raw usage rows are kept besides the current one; the partitions of older months are
     * dropped by the same daily run (the roll-ups, invoices and audit log stay). 0: kept for ever; otherwise at least
     * 3, so that a month is invoiced and its first disputes seen before its rows go.
     */
    @WithDefault("0")
    int retentionMonths();
}
