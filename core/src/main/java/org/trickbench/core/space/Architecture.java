package org.trickbench.core.space;

/**
 * One architecture of a search space, as the space-neutral parts of training and search see it: what
 * a supernet search proposes and what its hooks score, select or replace. Each space's own type
 * (NAS-Bench-201's genotype) implements it and carries the structure; here it is known only by its
 * canonical string.
 */
public interface Architecture {
    /**
     * The architecture's portable identity in its space's own notation (e.g. NAS-Bench-201's genotype
     * string): two architectures of one space are the same network exactly when their strings are equal.
     */
    String canonical();
}
