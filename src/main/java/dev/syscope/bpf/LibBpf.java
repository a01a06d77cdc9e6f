package dev.syscope.bpf;

import java.lang.foreign.Arena;
import java.lang.foreign.FunctionDescriptor;
import java.lang.foreign.MemorySegment;

import static java.lang.foreign.ValueLayout.ADDRESS;
import static java.lang.foreign.ValueLayout.JAVA_BOOLEAN;
import static java.lang.foreign.ValueLayout.JAVA_INT;
import static java.lang.foreign.ValueLayout.JAVA_LONG;

/**
 * The libbpf 1.1 functions that syscope uses (linked on first use), and thin wrappers that turn libbpf's
 * error conventions (NULL plus errno, or a negative errno) into {@link BpfException}.
 * Package-private: the rest of syscope goes through {@link BpfObject}, {@link BpfLink}, readers.
 */
final class LibBpf {
    private LibBpf() {}

    // Handles made with Native.bpf take a leading MemorySegment that receives errno.
    static final Downcall OBJECT_OPEN_MEM = Native.bpf("bpf_object__open_mem",
            FunctionDescriptor.of(ADDRESS, ADDRESS, JAVA_LONG, ADDRESS));
    static final Downcall OBJECT_LOAD = Native.bpf("bpf_object__load",
            FunctionDescriptor.of(JAVA_INT, ADDRESS));
    static final Downcall OBJECT_CLOSE = Native.bpfPlain("bpf_object__close",
            FunctionDescriptor.ofVoid(ADDRESS));
    static final Downcall OBJECT_BTF = Native.bpfPlain("bpf_object__btf",
            FunctionDescriptor.of(ADDRESS, ADDRESS));
    static final Downcall FIND_PROGRAM = Native.bpfPlain("bpf_object__find_program_by_name",
            FunctionDescriptor.of(ADDRESS, ADDRESS, ADDRESS));
    static final Downcall FIND_MAP = Native.bpfPlain("bpf_object__find_map_by_name",
            FunctionDescriptor.of(ADDRESS, ADDRESS, ADDRESS));
    static final Downcall PROGRAM_SET_AUTOLOAD = Native.bpfPlain("bpf_program__set_autoload",
            FunctionDescriptor.of(JAVA_INT, ADDRESS, JAVA_BOOLEAN));
    static final Downcall MAP_SET_MAX_ENTRIES = Native.bpfPlain("bpf_map__set_max_entries",
            FunctionDescriptor.of(JAVA_INT, ADDRESS, JAVA_INT));
    static final Downcall MAP_SET_AUTOCREATE = Native.bpfPlain("bpf_map__set_autocreate",
            FunctionDescriptor.of(JAVA_INT, ADDRESS, JAVA_BOOLEAN));
    static final Downcall MAP_INITIAL_VALUE = Native.bpfPlain("bpf_map__initial_value",
            FunctionDescriptor.of(ADDRESS, ADDRESS, ADDRESS));
    static final Downcall MAP_SET_INITIAL_VALUE = Native.bpfPlain("bpf_map__set_initial_value",
            FunctionDescriptor.of(JAVA_INT, ADDRESS, ADDRESS, JAVA_LONG));
    static final Downcall MAP_FD = Native.bpfPlain("bpf_map__fd",
            FunctionDescriptor.of(JAVA_INT, ADDRESS));
    static final Downcall MAP_MAX_ENTRIES = Native.bpfPlain("bpf_map__max_entries",
            FunctionDescriptor.of(JAVA_INT, ADDRESS));
    static final Downcall MAP_UPDATE_ELEM = Native.bpfPlain("bpf_map__update_elem",
            FunctionDescriptor.of(JAVA_INT, ADDRESS, ADDRESS, JAVA_LONG, ADDRESS, JAVA_LONG, JAVA_LONG));
    static final Downcall MAP_LOOKUP_ELEM = Native.bpfPlain("bpf_map__lookup_elem",
            FunctionDescriptor.of(JAVA_INT, ADDRESS, ADDRESS, JAVA_LONG, ADDRESS, JAVA_LONG, JAVA_LONG));
    static final Downcall MAP_LOOKUP_AND_DELETE_BATCH = Native.bpfPlain("bpf_map_lookup_and_delete_batch",
            FunctionDescriptor.of(JAVA_INT, JAVA_INT, ADDRESS, ADDRESS, ADDRESS, ADDRESS, ADDRESS, ADDRESS));
    static final Downcall MAP_DELETE_ELEM = Native.bpfPlain("bpf_map__delete_elem",
            FunctionDescriptor.of(JAVA_INT, ADDRESS, ADDRESS, JAVA_LONG, JAVA_LONG));
    static final Downcall MAP_GET_NEXT_KEY = Native.bpfPlain("bpf_map__get_next_key",
            FunctionDescriptor.of(JAVA_INT, ADDRESS, ADDRESS, ADDRESS, JAVA_LONG));
    static final Downcall ATTACH_TRACEPOINT = Native.bpf("bpf_program__attach_tracepoint",
            FunctionDescriptor.of(ADDRESS, ADDRESS, ADDRESS, ADDRESS));
    static final Downcall ATTACH_RAW_TRACEPOINT = Native.bpf("bpf_program__attach_raw_tracepoint",
            FunctionDescriptor.of(ADDRESS, ADDRESS, ADDRESS));
    static final Downcall ATTACH = Native.bpf("bpf_program__attach",
            FunctionDescriptor.of(ADDRESS, ADDRESS));
    static final Downcall ATTACH_KPROBE = Native.bpf("bpf_program__attach_kprobe",
            FunctionDescriptor.of(ADDRESS, ADDRESS, JAVA_BOOLEAN, ADDRESS));
    static final Downcall LINK_DESTROY = Native.bpfPlain("bpf_link__destroy",
            FunctionDescriptor.of(JAVA_INT, ADDRESS));
    static final Downcall PROBE_MAP_TYPE = Native.bpfPlain("libbpf_probe_bpf_map_type",
            FunctionDescriptor.of(JAVA_INT, JAVA_INT, ADDRESS));
    static final Downcall NUM_POSSIBLE_CPUS = Native.bpfPlain("libbpf_num_possible_cpus",
            FunctionDescriptor.of(JAVA_INT));
    static final Downcall SET_PRINT = Native.bpfPlain("libbpf_set_print",
            FunctionDescriptor.of(ADDRESS, ADDRESS));

    static final Downcall PERF_BUFFER_NEW_RAW = Native.bpf("perf_buffer__new_raw",
            FunctionDescriptor.of(ADDRESS, JAVA_INT, JAVA_LONG, ADDRESS, ADDRESS, ADDRESS, ADDRESS));
    static final Downcall PERF_BUFFER_POLL = Native.bpfPlain("perf_buffer__poll",
            FunctionDescriptor.of(JAVA_INT, ADDRESS, JAVA_INT));
    static final Downcall PERF_BUFFER_CONSUME = Native.bpfPlain("perf_buffer__consume",
            FunctionDescriptor.of(JAVA_INT, ADDRESS));
    static final Downcall PERF_BUFFER_FREE = Native.bpfPlain("perf_buffer__free",
            FunctionDescriptor.ofVoid(ADDRESS));

    static final Downcall BTF_FIND_BY_NAME_KIND = Native.bpfPlain("btf__find_by_name_kind",
            FunctionDescriptor.of(JAVA_INT, ADDRESS, ADDRESS, JAVA_INT));
    static final Downcall BTF_TYPE_BY_ID = Native.bpfPlain("btf__type_by_id",
            FunctionDescriptor.of(ADDRESS, ADDRESS, JAVA_INT));
    static final Downcall BTF_NAME_BY_OFFSET = Native.bpfPlain("btf__name_by_offset",
            FunctionDescriptor.of(ADDRESS.withTargetLayout(Native.C_STRING), ADDRESS, JAVA_INT));
    static final Downcall BTF_RESOLVE_SIZE = Native.bpfPlain("btf__resolve_size",
            FunctionDescriptor.of(JAVA_LONG, ADDRESS, JAVA_INT));

    // Object-ID enumeration (BPF_*_GET_NEXT_ID and friends); all return 0 or -1 with errno.
    static final Downcall PROG_GET_NEXT_ID = Native.bpf("bpf_prog_get_next_id",
            FunctionDescriptor.of(JAVA_INT, JAVA_INT, ADDRESS));
    static final Downcall MAP_GET_NEXT_ID = Native.bpf("bpf_map_get_next_id",
            FunctionDescriptor.of(JAVA_INT, JAVA_INT, ADDRESS));
    static final Downcall LINK_GET_NEXT_ID = Native.bpf("bpf_link_get_next_id",
            FunctionDescriptor.of(JAVA_INT, JAVA_INT, ADDRESS));
    static final Downcall PROG_GET_FD_BY_ID = Native.bpf("bpf_prog_get_fd_by_id",
            FunctionDescriptor.of(JAVA_INT, JAVA_INT));
    static final Downcall MAP_GET_FD_BY_ID = Native.bpf("bpf_map_get_fd_by_id",
            FunctionDescriptor.of(JAVA_INT, JAVA_INT));
    static final Downcall LINK_GET_FD_BY_ID = Native.bpf("bpf_link_get_fd_by_id",
            FunctionDescriptor.of(JAVA_INT, JAVA_INT));
    static final Downcall OBJ_GET_INFO_BY_FD = Native.bpf("bpf_obj_get_info_by_fd",
            FunctionDescriptor.of(JAVA_INT, JAVA_INT, ADDRESS, ADDRESS));

    /** The result of an errno-capturing call, with the errno as it was right after the call. */
    /*
     * Errno-capturing handles take a leading errno segment (Native.errnoState) and are called with
     * invokeExact at each call site: invokeWithArguments spins adapter classes for every new
     * signature, milliseconds apiece at start-up.
     */

    /** A pointer-returning call's result; NULL becomes a BpfException for {@code op}, with the captured errno. */
    static MemorySegment nonNull(String op, MemorySegment p, MemorySegment errnoState) {
        if (p.equals(MemorySegment.NULL)) {
            int errno = Native.errno(errnoState);
            throw new BpfException(op, errno == 0 ? Errno.EINVAL : errno);
        }
        return p;
    }

    /** An int-returning call's result; a negative one becomes a BpfException for {@code op}. */
    static int nonNegative(String op, int r, MemorySegment errnoState) {
        if (r < 0) {
            // libbpf >= 1.0 returns -errno and also sets errno; prefer errno, fall back to -r.
            int errno = Native.errno(errnoState);
            throw new BpfException(op, errno != 0 ? errno : (r == -1 ? Errno.EINVAL : -r));
        }
        return r;
    }

    /** Checks the result of a plain (non-capturing) libbpf call that returns a negative errno. */
    static int checkNegErrno(String op, int r) {
        if (r < 0) {
            throw new BpfException(op, -r);
        }
        return r;
    }

    static int numPossibleCpus() {
        try {
            return checkNegErrno("count possible CPUs", (int) NUM_POSSIBLE_CPUS.handle().invokeExact());
        } catch (Throwable t) {
            throw Native.rethrow(t);
        }
    }
}
