package org.trickbench.core.train;

/**
 * What a trick returns to act on training: a hook of one or more lifecycles, each an interface of its
 * own, so that a trick implements only the points it needs and the loops never know a trick by class.
 *
 * <ul>
 *   <li>{@link WeightTrainingHook}: how weights are trained, in a standalone training and in a supernet's
 *       weight steps (protocol, augmentations, loss, optimiser step, epoch end);
 *   <li>{@link SupernetSearchHook}: a supernet search (architecture steps, search data, choosing);
 *   <li>a search space's own hook (NAS-Bench-201's {@code Nb201Hook}): how that space's networks and
 *       supernets are built and which of its cells a search may propose.
 * </ul>
 *
 * <p>{@link TrainingHooks} combines the hooks of a run point by point, each by a named rule, and asks a
 * hook only at the points of the interfaces it implements.
 */
public interface TrainingHook {}
