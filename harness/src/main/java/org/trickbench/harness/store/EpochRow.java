package org.trickbench.harness.store;

/** One metric of one epoch of a run or evaluation ({@code owner}), in a phase ({@code search}, {@code final}). */
public record EpochRow(String ownerId, String phase, int epoch, String metric, double value) {}
