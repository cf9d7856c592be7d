/**
 * The tricks catalogue: one class per trick of docs/tricks.md, found by id through {@link
 * org.trickbench.tricks.Tricks}. Tricks act only through {@link org.trickbench.core.train.TrainingHook}'s
 * hook points; network blocks a trick needs (GroupNorm, ghost BatchNorm) live next to that trick.
 */
package org.trickbench.tricks;
