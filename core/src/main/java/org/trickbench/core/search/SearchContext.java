package org.trickbench.core.search;

import org.trickbench.core.run.RunSpec;
import org.trickbench.core.seed.Seeds;

/** What a search may use: the run's spec (algorithm parameters, fidelity, data set) and its seeds. */
public record SearchContext(RunSpec spec, Seeds seeds) {}
