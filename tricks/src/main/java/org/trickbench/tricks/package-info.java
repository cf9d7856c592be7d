/**
 * The tricks catalogue: one class per trick of docs/tricks.md, listed in
 * {@code META-INF/services/org.trickbench.core.trick.Trick} and found by id through {@link
 * org.trickbench.tricks.Tricks}; a jar on the class path adds its own tricks the same way. Tricks act only through
 * the hook points of the interfaces their {@link org.trickbench.core.train.TrainingHook} implements
 * ({@link org.trickbench.core.train.WeightTrainingHook}, {@link org.trickbench.core.train.SupernetSearchHook},
 * {@link org.trickbench.core.space.nb201.Nb201Hook}); network blocks a trick needs (GroupNorm, ghost BatchNorm) live next to that trick.
 */
package org.trickbench.tricks;
