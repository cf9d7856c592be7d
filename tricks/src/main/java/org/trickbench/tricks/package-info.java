/**
 * The tricks catalogue: one class per trick of docs/tricks.md, listed in
 * {@code META-INF/services/org.trickbench.core.trick.Trick} and found by id through {@link
 * org.trickbench.tricks.Tricks}; a jar on the class path adds its own tricks the same way. Tricks act only through {@link org.trickbench.core.train.TrainingHook}'s
 * hook points; network blocks a trick needs (GroupNorm, ghost BatchNorm) live next to that trick.
 */
package org.trickbench.tricks;
