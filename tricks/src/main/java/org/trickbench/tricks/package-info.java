/**
 * The tricks catalogue (one class per trick of TRICKS.md, found by id through a registry). Tricks act
 * only through {@link org.trickbench.core.train.TrainingHook}'s hook points; none is implemented yet,
 * so matrices today run the untricked NAS-Bench-201 protocol.
 */
package org.trickbench.tricks;
