package dev.syscope.bpf;

import org.junit.jupiter.api.Test;

import java.lang.foreign.Arena;
import java.lang.foreign.FunctionDescriptor;
import java.lang.foreign.MemorySegment;
import java.lang.invoke.MethodHandle;

import static java.lang.foreign.ValueLayout.ADDRESS;
import static java.lang.foreign.ValueLayout.JAVA_BYTE;
import static java.lang.foreign.ValueLayout.JAVA_INT;
import static java.lang.foreign.ValueLayout.JAVA_LONG;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** Native.link passes everything as 64-bit integers; the declared types must come through unchanged. */
class NativeTest {
    private static MethodHandle libc(String name, FunctionDescriptor fd, boolean errno) {
        return Native.link(false, name, fd, errno);
    }

    @Test
    void descriptorsOfTheSameArityShareOneCanonicalForm() {
        FunctionDescriptor a = Native.canonical(FunctionDescriptor.of(JAVA_INT, ADDRESS, JAVA_INT));
        FunctionDescriptor b = Native.canonical(FunctionDescriptor.ofVoid(JAVA_LONG, ADDRESS.withTargetLayout(JAVA_BYTE)));
        assertThat(a).isEqualTo(b).isEqualTo(FunctionDescriptor.of(JAVA_LONG, JAVA_LONG, JAVA_LONG));
    }

    @Test
    void negativeIntArgumentsAndResultsKeepTheirSign() throws Throwable {
        MethodHandle abs = libc("abs", FunctionDescriptor.of(JAVA_INT, JAVA_INT), false);
        assertThat((int) abs.invokeExact(-5)).isEqualTo(5);
        assertThat((int) abs.invokeExact(Integer.MIN_VALUE)).isEqualTo(Integer.MIN_VALUE); // abs overflows in C too
        MethodHandle atoi = libc("atoi", FunctionDescriptor.of(JAVA_INT, ADDRESS), false);
        try (Arena a = Arena.ofConfined()) {
            assertThat((int) atoi.invokeExact(a.allocateFrom("-42"))).isEqualTo(-42);
        }
    }

    @Test
    void addressesGoInAndComeBackOutAsSegments() throws Throwable {
        MethodHandle strchr = libc("strchr", FunctionDescriptor.of(ADDRESS, ADDRESS, JAVA_INT), false);
        MethodHandle strrchrString = libc("strrchr", FunctionDescriptor.of(ADDRESS.withTargetLayout(Native.C_STRING), ADDRESS, JAVA_INT), false);
        try (Arena a = Arena.ofConfined()) {
            MemorySegment s = a.allocateFrom("syscope/trace");
            MemorySegment slash = (MemorySegment) strchr.invokeExact(s, (int) '/');
            assertThat(slash.address()).isEqualTo(s.address() + 7);
            assertThat(slash.byteSize()).isZero(); // as the linker returns a plain address
            assertThat((MemorySegment) strchr.invokeExact(s, (int) 'x')).isEqualTo(MemorySegment.NULL);
            assertThat(((MemorySegment) strrchrString.invokeExact(s, (int) 't')).getString(0)).isEqualTo("trace");
        }
    }

    @Test
    void voidFunctionsAndErrnoCapture() throws Throwable {
        MethodHandle srand = libc("srand", FunctionDescriptor.ofVoid(JAVA_INT), false);
        srand.invokeExact(1);
        MethodHandle close = libc("close", FunctionDescriptor.of(JAVA_INT, JAVA_INT), true);
        try (Arena a = Arena.ofConfined()) {
            MemorySegment errno = Native.errnoState(a);
            assertThat((int) close.invokeExact(errno, -1)).isEqualTo(-1);
            assertThat(Native.errno(errno)).isEqualTo(9); // EBADF
        }
    }

    @Test
    void aClosedSegmentIsRefusedNotPassedAsADanglingPointer() {
        MethodHandle strlen = libc("strlen", FunctionDescriptor.of(JAVA_LONG, ADDRESS), false);
        MemorySegment s;
        try (Arena a = Arena.ofConfined()) {
            s = a.allocateFrom("gone");
        }
        assertThatThrownBy(() -> {
            long unused = (long) strlen.invokeExact(s);
        }).isInstanceOf(IllegalStateException.class);
    }

    @Test
    void aHeapSegmentIsRefusedNotPassedAsAnOffset() {
        MethodHandle strlen = libc("strlen", FunctionDescriptor.of(JAVA_LONG, ADDRESS), false);
        assertThatThrownBy(() -> {
            long unused = (long) strlen.invokeExact(MemorySegment.ofArray(new byte[] {'a', 0}));
        }).isInstanceOf(IllegalArgumentException.class);
    }
}
