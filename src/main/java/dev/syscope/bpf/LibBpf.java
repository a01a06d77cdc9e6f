package dev.syscope.bpf;

import java.lang.foreign.MemorySegment;

/**
 * The libbpf 1.1 functions that syscope uses (linked on first use), and thin wrappers that turn libbpf's
 * error conventions (NULL plus errno, or a negative errno) into {@link BpfException}.
 * Package-private: the rest of syscope goes through {@link BpfObject}, {@link BpfLink}, readers.
 */
final class LibBpf {
    private LibBpf() {}

    // Declared by their prototypes in libbpf's headers (bpf/libbpf.h, bpf/bpf.h, bpf/btf.h). Calls of
    // those made with Native.bpfErrno take a leading segment that receives errno.
    static final Downcall OBJECT_OPEN_MEM = Native.bpfErrno("struct bpf_object *bpf_object__open_mem(const void *obj_buf, "
            + "size_t obj_buf_sz, const struct bpf_object_open_opts *opts)");
    static final Downcall OBJECT_LOAD = Native.bpfErrno("int bpf_object__load(struct bpf_object *obj)");
    static final Downcall OBJECT_CLOSE = Native.bpf("void bpf_object__close(struct bpf_object *object)");
    static final Downcall OBJECT_BTF = Native.bpf("struct btf *bpf_object__btf(const struct bpf_object *obj)");
    static final Downcall FIND_PROGRAM = Native.bpf("struct bpf_program *bpf_object__find_program_by_name("
            + "const struct bpf_object *obj, const char *name)");
    static final Downcall FIND_MAP = Native.bpf("struct bpf_map *bpf_object__find_map_by_name(const struct bpf_object *obj, "
            + "const char *name)");
    static final Downcall PROGRAM_SET_AUTOLOAD = Native.bpf("int bpf_program__set_autoload(struct bpf_program *prog, bool autoload)");
    static final Downcall MAP_SET_MAX_ENTRIES = Native.bpf("int bpf_map__set_max_entries(struct bpf_map *map, __u32 max_entries)");
    static final Downcall MAP_SET_AUTOCREATE = Native.bpf("int bpf_map__set_autocreate(struct bpf_map *map, bool autocreate)");
    static final Downcall MAP_INITIAL_VALUE = Native.bpf("const void *bpf_map__initial_value(struct bpf_map *map, size_t *psize)");
    static final Downcall MAP_SET_INITIAL_VALUE = Native.bpf("int bpf_map__set_initial_value(struct bpf_map *map, "
            + "const void *data, size_t size)");
    static final Downcall MAP_FD = Native.bpf("int bpf_map__fd(const struct bpf_map *map)");
    static final Downcall MAP_MAX_ENTRIES = Native.bpf("__u32 bpf_map__max_entries(const struct bpf_map *map)");
    static final Downcall MAP_UPDATE_ELEM = Native.bpf("int bpf_map__update_elem(const struct bpf_map *map, "
            + "const void *key, size_t key_sz, const void *value, size_t value_sz, __u64 flags)");
    static final Downcall MAP_LOOKUP_ELEM = Native.bpf("int bpf_map__lookup_elem(const struct bpf_map *map, "
            + "const void *key, size_t key_sz, void *value, size_t value_sz, __u64 flags)");
    static final Downcall MAP_LOOKUP_AND_DELETE_BATCH = Native.bpf("int bpf_map_lookup_and_delete_batch(int fd, void *in_batch, "
            + "void *out_batch, void *keys, void *values, __u32 *count, const struct bpf_map_batch_opts *opts)");
    static final Downcall MAP_DELETE_ELEM = Native.bpf("int bpf_map__delete_elem(const struct bpf_map *map, "
            + "const void *key, size_t key_sz, __u64 flags)");
    static final Downcall MAP_GET_NEXT_KEY = Native.bpf("int bpf_map__get_next_key(const struct bpf_map *map, "
            + "const void *cur_key, void *next_key, size_t key_sz)");
    static final Downcall ATTACH_TRACEPOINT = Native.bpfErrno("struct bpf_link *bpf_program__attach_tracepoint("
            + "const struct bpf_program *prog, const char *tp_category, const char *tp_name)");
    static final Downcall ATTACH_RAW_TRACEPOINT = Native.bpfErrno("struct bpf_link *bpf_program__attach_raw_tracepoint("
            + "const struct bpf_program *prog, const char *tp_name)");
    static final Downcall ATTACH = Native.bpfErrno("struct bpf_link *bpf_program__attach(const struct bpf_program *prog)");
    static final Downcall ATTACH_KPROBE = Native.bpfErrno("struct bpf_link *bpf_program__attach_kprobe("
            + "const struct bpf_program *prog, bool retprobe, const char *func_name)");
    static final Downcall LINK_DESTROY = Native.bpf("int bpf_link__destroy(struct bpf_link *link)");
    static final Downcall PROBE_MAP_TYPE = Native.bpf("int libbpf_probe_bpf_map_type(enum bpf_map_type map_type, const void *opts)");
    static final Downcall NUM_POSSIBLE_CPUS = Native.bpf("int libbpf_num_possible_cpus(void)");
    static final Downcall SET_PRINT = Native.bpf("libbpf_print_fn_t libbpf_set_print(libbpf_print_fn_t fn)");

    static final Downcall PERF_BUFFER_NEW_RAW = Native.bpfErrno("struct perf_buffer *perf_buffer__new_raw(int map_fd, "
            + "size_t page_cnt, struct perf_event_attr *attr, perf_buffer_event_fn event_cb, void *ctx, "
            + "const struct perf_buffer_raw_opts *opts)");
    static final Downcall PERF_BUFFER_POLL = Native.bpf("int perf_buffer__poll(struct perf_buffer *pb, int timeout_ms)");
    static final Downcall PERF_BUFFER_CONSUME = Native.bpf("int perf_buffer__consume(struct perf_buffer *pb)");
    static final Downcall PERF_BUFFER_FREE = Native.bpf("void perf_buffer__free(struct perf_buffer *pb)");

    static final Downcall BTF_FIND_BY_NAME_KIND = Native.bpf("__s32 btf__find_by_name_kind(const struct btf *btf, "
            + "const char *type_name, __u32 kind)");
    static final Downcall BTF_TYPE_BY_ID = Native.bpf("const struct btf_type *btf__type_by_id(const struct btf *btf, __u32 id)");
    static final Downcall BTF_NAME_BY_OFFSET = Native.bpf("const char *btf__name_by_offset(const struct btf *btf, __u32 offset)");
    static final Downcall BTF_RESOLVE_SIZE = Native.bpf("__s64 btf__resolve_size(const struct btf *btf, __u32 type_id)");

    // Object-ID enumeration (BPF_*_GET_NEXT_ID and friends); all return 0 or -1 with errno.
    static final Downcall PROG_GET_NEXT_ID = Native.bpfErrno("int bpf_prog_get_next_id(__u32 start_id, __u32 *next_id)");
    static final Downcall MAP_GET_NEXT_ID = Native.bpfErrno("int bpf_map_get_next_id(__u32 start_id, __u32 *next_id)");
    static final Downcall LINK_GET_NEXT_ID = Native.bpfErrno("int bpf_link_get_next_id(__u32 start_id, __u32 *next_id)");
    static final Downcall PROG_GET_FD_BY_ID = Native.bpfErrno("int bpf_prog_get_fd_by_id(__u32 id)");
    static final Downcall MAP_GET_FD_BY_ID = Native.bpfErrno("int bpf_map_get_fd_by_id(__u32 id)");
    static final Downcall LINK_GET_FD_BY_ID = Native.bpfErrno("int bpf_link_get_fd_by_id(__u32 id)");
    static final Downcall OBJ_GET_INFO_BY_FD = Native.bpfErrno("int bpf_obj_get_info_by_fd(int bpf_fd, void *info, __u32 *info_len)");

    /** A pointer-returning call's result; NULL becomes a BpfException for {@code op}, with the captured errno. */
    static MemorySegment nonNull(String op, long p, MemorySegment errnoState) {
        if (p == 0) {
            int errno = Native.errno(errnoState);
            throw new BpfException(op, errno == 0 ? Errno.EINVAL : errno);
        }
        return Native.at(p);
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
        return checkNegErrno("count possible CPUs", (int) NUM_POSSIBLE_CPUS.call());
    }
}
