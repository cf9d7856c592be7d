package org.trickbench.harness.store;

/**
 * One row of {@code runs}: a run's id, the matrix that first listed it, its spec and status, and what
 * its latest attempt, its search and its final training left.
 *
 * @param evaluationId the final training's evaluation, or null before one is recorded
 * @param skipReason why the run will not train, for a skipped run; null otherwise
 */
public record RunRow(String id, String matrix, String spec, RunStatus status, Attempt attempt, Search search,
        String evaluationId, Failure failure, String skipReason) {

    /**
     * The latest attempt: its number (0 before the first claim, one more with each), who held it (the
     * owner is {@code pid@host}) and when it started and finished; null where not (yet) known.
     */
    public record Attempt(int number, String shard, String host, String owner, String startedAt, String finishedAt) {}

    /**
     * What the search found (genotype, proxy score) and what it spent (see {@link RunCompletion}); null
     * where not recorded, all null before the run is done.
     */
    public record Search(String genotype, Double proxyScore, Double wallSeconds, Double deviceSeconds, Integer epochs,
            Integer evaluations, String stop) {}

    /** The error a failed attempt recorded; both null for a run that has not failed. */
    public record Failure(String errorClass, String errorMessage) {

        /** {@code class: message}, or null where no message was recorded. */
        public String summary() {
            return errorMessage == null ? null : errorClass + ": " + errorMessage;
        }
    }
}
