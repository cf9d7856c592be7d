package org.trickbench.core;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.util.List;
import org.junit.jupiter.api.Test;

class RegistryTest {
    /** An entry whose id is its text. */
    record Entry(String id) {}

    /** A second kind of entry, to show the message names both classes. */
    record OtherEntry(String id) {}

    @Test
    void keepsTheOrderGivenAndNamesTheKnownIdsForAnUnknownOne() {
        Registry<Object> r = Registry.of("trick", List.of(new Entry("b"), new Entry("a")), RegistryTest::id);
        assertEquals(List.of(new Entry("b"), new Entry("a")), r.all());
        assertEquals(new Entry("a"), r.byId("a"));
        UserInputException e = assertThrows(UserInputException.class, () -> r.byId("c"));
        assertEquals("unknown trick 'c'; known: b, a", e.getMessage());
    }

    @Test
    void anIdDeclaredTwiceIsAnErrorNamingBothClasses() {
        UserInputException e = assertThrows(UserInputException.class, () -> Registry.of("trick",
                List.of(new Entry("cutout"), new Entry("mixup"), new OtherEntry("cutout")), RegistryTest::id));
        assertEquals("trick id 'cutout' is declared by both " + Entry.class.getName() + " and "
                + OtherEntry.class.getName() + "; remove one of them from the class path or rename its id",
                e.getMessage());
    }

    private static String id(Object entry) {
        return entry instanceof Entry e ? e.id() : ((OtherEntry) entry).id();
    }
}
