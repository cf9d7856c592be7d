package org.trickbench.tricks;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.net.URL;
import java.net.URLClassLoader;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.trickbench.core.Registry;
import org.trickbench.core.UserInputException;
import org.trickbench.core.search.Family;
import org.trickbench.core.train.TrainingHook;
import org.trickbench.core.trick.Trick;

/** The built-ins come through META-INF/services, and a user's jar that reuses one of their ids is refused. */
class ServiceRegistrationTest {
    /** What a user's jar might declare: a trick under a built-in's id. */
    public static final class AnotherCutout extends SearchPhaseTrick {
        public AnotherCutout() {
            super("cutout", Family.GRADIENT);
        }

        @Override
        public String reference() {
            return "none, 2024";
        }

        @Override
        public String description() {
            return "a user's trick under a built-in's id";
        }

        @Override
        public TrainingHook hook(Map<String, Object> params) {
            return new TrainingHook() {};
        }
    }

    @Test
    void everyBuiltInIsListedInTheServicesFileInCatalogueOrder() throws IOException {
        String listed = new String(Tricks.class.getResourceAsStream("/META-INF/services/" + Trick.class.getName())
                .readAllBytes());
        assertEquals(listed.lines().toList(), Tricks.all().stream().map(t -> t.getClass().getName()).toList());
    }

    @Test
    void anUnknownIdListsTheKnownOnes() {
        UserInputException e = assertThrows(UserInputException.class, () -> Tricks.byId("label-smoothin"));
        assertTrue(e.getMessage().contains("'label-smoothin'") && e.getMessage().contains("label-smoothing"),
                e.getMessage());
    }

    @Test
    void aUserJarReusingABuiltInIdIsAnErrorNamingBothClasses(@TempDir Path jar) throws Exception {
        Path services = jar.resolve("META-INF/services/" + Trick.class.getName());
        Files.createDirectories(services.getParent());
        Files.writeString(services, AnotherCutout.class.getName() + "\n");
        ClassLoader before = Thread.currentThread().getContextClassLoader();
        try (URLClassLoader user = new URLClassLoader(new URL[] {jar.toUri().toURL()}, before)) {
            Thread.currentThread().setContextClassLoader(user);
            UserInputException e = assertThrows(UserInputException.class,
                    () -> Registry.load(Trick.class, "trick", Trick::id));
            assertEquals("trick id 'cutout' is declared by both " + Cutout.class.getName() + " and "
                    + AnotherCutout.class.getName() + "; remove one of them from the class path or rename its id",
                    e.getMessage());
        } finally {
            Thread.currentThread().setContextClassLoader(before);
        }
    }
}
