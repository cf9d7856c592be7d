package org.trickbench.core.run;

import com.fasterxml.jackson.core.JsonProcessingException;
import java.util.Comparator;
import java.util.List;
import java.util.Objects;
import org.trickbench.core.train.Fidelity;
import org.trickbench.core.train.Protocol;

/**
 * Everything that decides what a run computes (JMH's {@code BenchmarkParams} for NAS): data set,
 * search space, algorithm and parameters, tricks switched on, search and final fidelities, the final
 * protocol and the seed. Its canonical JSON hashed with SHA-256 is the run id; the code version is
 * recorded beside the run, not hashed into it, so a re-run of the same spec on new code is comparable.
 */
public record RunSpec(String dataset, String space, AlgorithmSetting algorithm, List<TrickSetting> tricks,
        Fidelity searchFidelity, Fidelity finalFidelity, Protocol protocol, long seed) {

    public RunSpec {
        Objects.requireNonNull(dataset, "dataset");
        Objects.requireNonNull(space, "space");
        Objects.requireNonNull(algorithm, "algorithm");
        Objects.requireNonNull(searchFidelity, "searchFidelity");
        Objects.requireNonNull(finalFidelity, "finalFidelity");
        Objects.requireNonNull(protocol, "protocol");
        tricks = tricks == null ? List.of()
                : tricks.stream().sorted(Comparator.comparing(TrickSetting::id)).toList();
    }

    /** The same run under another seed. */
    public RunSpec withSeed(long other) {
        return new RunSpec(dataset, space, algorithm, tricks, searchFidelity, finalFidelity, protocol, other);
    }

    public String canonicalJson() {
        return Canonical.json(this);
    }

    /** SHA-256 of the canonical JSON, hex. */
    public String id() {
        return Canonical.sha256(canonicalJson());
    }

    public static RunSpec fromJson(String json) {
        try {
            return Canonical.mapper().readValue(json, RunSpec.class);
        } catch (JsonProcessingException e) {
            throw new IllegalArgumentException("not a run spec: " + e.getOriginalMessage(), e);
        }
    }
}
