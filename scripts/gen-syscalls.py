#!/usr/bin/env python3
"""Writes the syscall tables src/main/resources/dev/syscope/syscalls/{x86_64,arm64}.tsv.

Run it through scripts/gen-syscalls.sh, which fetches and unpacks the kernel source. Inputs:
  - numbers: the kernel's syscall tables (x86_64: arch/x86/entry/syscalls/syscall_64.tbl,
    abis common+64; arm64: scripts/syscall.tbl with the abis of arch/arm64/kernel/Makefile.syscalls,
    or include/uapi/asm-generic/unistd.h before 6.11);
  - O_* values: include/uapi/asm-generic/fcntl.h and each arch's uapi/asm/fcntl.h;
  - argument names and types: tracefs-args.txt, a capture of tracefs's sys_enter_*/format files
    (--capture-tracefs rewrites it from the running kernel), plus SUPPLEMENT below.
Classes follow strace's -e trace=%CLASS sets (checked against strace 6.1 on x86_64), except that
%desc also holds the socket calls and close_range (they take or return an fd; strace's %desc
does not list them).
"""
import argparse
import os
import re
import subprocess
import sys

RES = os.path.join(os.path.dirname(os.path.abspath(__file__)), '..', 'src', 'main', 'resources',
                   'dev', 'syscope', 'syscalls')
ARGS_FILE = 'tracefs-args.txt'

# Signatures of syscalls the capture kernel had no tracefs event for (built without modules, kexec
# or x86 shadow stacks), written as tracefs would from their SYSCALL_DEFINE in the 6.12 sources.
SUPPLEMENT = {
    'init_module': ['void * umod', 'unsigned long len', 'const char * uargs'],
    'delete_module': ['const char * name_user', 'unsigned int flags'],
    'finit_module': ['int fd', 'const char * uargs', 'int flags'],
    'kexec_load': ['unsigned long entry', 'unsigned long nr_segments',
                   'struct kexec_segment * segments', 'unsigned long flags'],
    'kexec_file_load': ['int kernel_fd', 'int initrd_fd', 'unsigned long cmdline_len',
                        'const char * cmdline_ptr', 'unsigned long flags'],
    'map_shadow_stack': ['unsigned long addr', 'unsigned long size', 'unsigned int flags'],
}
# arm64 selects CONFIG_CLONE_BACKWARDS (kernel/fork.c): tls comes before child_tidptr.
ARM64_OVERRIDE = {
    'clone': ['unsigned long clone_flags', 'unsigned long newsp', 'int * parent_tidptr',
              'unsigned long tls', 'int * child_tidptr'],
}

# ---- argument kinds ----
FD_NAMES = {'fd', 'oldfd', 'newfd', 'ufd', 'pidfd', 'epfd', 'fd_in', 'fd_out', 'fdin', 'fdout',
            'in_fd', 'out_fd', 'group_fd', 'fs_fd', 'fanotify_fd', 'ruleset_fd', 'mqdes',
            'kernel_fd', 'initrd_fd', 'fildes'}
DIRFD_NAMES = {'dfd', 'olddfd', 'newdfd', 'from_dfd', 'to_dfd', 'mountdirfd'}
PATH_NAMES = {'filename', 'pathname', 'path', 'oldname', 'newname', 'specialfile', 'special',
              'library', 'dev_name', 'dir_name', 'from_pathname', 'to_pathname', 'new_root',
              'put_old'}
# "name" is a file name only here (elsewhere an xattr, host or key name).
PATH_NAMED_NAME = {'acct', 'umount', 'umount2', 'name_to_handle_at'}
OPEN_FLAG_CALLS = {'open', 'openat', 'open_by_handle_at'}


def arg_kind(call, typ, name):
    if name in DIRFD_NAMES or (call == 'execveat' and name == 'fd'):
        return 'dirfd'
    if name in FD_NAMES and '*' not in typ:  # pipe's "int * fildes" is no fd
        return 'fd'
    if typ in ('const char *', 'char *') and (
            name in PATH_NAMES or (name == 'name' and call in PATH_NAMED_NAME)):
        return 'path'
    if name == 'flags' and call in OPEN_FLAG_CALLS:
        return 'open_flags'
    if typ == 'size_t' and name in ('count', 'len'):
        return 'count'
    return 'other'


# ---- classes: strace's sets where they are lists, rules where strace's follow the arguments ----
NET = set('''accept accept4 bind connect getpeername getsockname getsockopt listen recvfrom recvmmsg
    recvmsg sendmmsg sendmsg sendto setsockopt shutdown socket socketpair
    sendfile getpmsg putpmsg'''.split())  # the last three are strace's choice
PROCESS = set('''clone clone3 fork vfork execve execveat exit exit_group wait4 waitid
    kill tkill tgkill rt_sigqueueinfo rt_tgsigqueueinfo pidfd_send_signal'''.split())
MEMORY = set('''brk mmap munmap mremap mprotect pkey_mprotect madvise mlock mlock2 munlock mlockall
    munlockall msync mincore remap_file_pages mbind set_mempolicy get_mempolicy
    set_mempolicy_home_node migrate_pages move_pages shmat shmdt map_shadow_stack mseal
    io_setup io_destroy io_uring_register'''.split())  # the io_* ones map rings: strace's choice
SIGNAL = set('''rt_sigaction rt_sigprocmask rt_sigreturn rt_sigpending rt_sigtimedwait rt_sigsuspend
    rt_sigqueueinfo rt_tgsigqueueinfo sigaltstack signalfd signalfd4 pause kill tkill tgkill
    pidfd_send_signal io_uring_enter'''.split())  # io_uring_enter takes a sigmask
IPC = set('''msgget msgsnd msgrcv msgctl semget semop semtimedop semctl shmget shmat shmdt
    shmctl'''.split())
# %file beyond the calls with a path argument: getcwd returns one, fsconfig can take one.
FILE_EXTRA = {'getcwd', 'fsconfig', 'uselib'}  # uselib: no tracefs event, takes a library path
# %desc beyond the calls with an fd argument: they return a new fd or take fd sets.
DESC_EXTRA = set('''open creat openat2 pipe pipe2 socket socketpair eventfd eventfd2 epoll_create
    epoll_create1 memfd_create memfd_secret inotify_init inotify_init1 fanotify_init timerfd_create
    userfaultfd perf_event_open bpf io_uring_setup pidfd_open fsopen mq_open landlock_create_ruleset
    select pselect6 poll ppoll'''.split())


def classes(call, args):
    kinds = {k for _, _, k in args}
    out = []
    if 'path' in kinds or call in FILE_EXTRA:
        out.append('file')
    if kinds & {'fd', 'dirfd'} or call in DESC_EXTRA:
        out.append('desc')
    for cls, names in (('net', NET), ('process', PROCESS), ('memory', MEMORY),
                       ('signal', SIGNAL), ('ipc', IPC)):
        if call in names:
            out.append(cls)
    return out


# ---- inputs ----
def split_field(field):
    """'const char * filename' -> ('const char *', 'filename')."""
    m = re.fullmatch(r'(.*?)\s*([A-Za-z_]\w*)', ' '.join(field.split()))
    if not m:
        sys.exit(f'gen-syscalls: cannot split field {field!r}')
    return m.group(1), m.group(2)


def capture_tracefs(tracefs, path):
    events = os.path.join(tracefs, 'events', 'syscalls')
    if not os.path.isdir(events):
        sys.exit(f'gen-syscalls: no {events} (mount -t tracefs tracefs /sys/kernel/tracing)')
    lines = []
    for ev in sorted(os.listdir(events)):
        if not ev.startswith('sys_enter_'):
            continue
        with open(os.path.join(events, ev, 'format')) as f:
            fields = re.findall(r'field:([^;]*);', f.read())
        names = [split_field(x)[1] for x in fields]
        args = fields[names.index('__syscall_nr') + 1:]
        lines.append('\t'.join([ev[len('sys_enter_'):]] + [' '.join(a.split()) for a in args]))
    rel = os.uname()
    with open(path, 'w') as f:
        f.write('# Syscall arguments from tracefs events/syscalls/sys_enter_*/format: one event a line,\n'
                '# its name and then each field after __syscall_nr as "type name", tab-separated.\n'
                f'# Captured on Linux {rel.release} {rel.machine} by scripts/gen-syscalls.sh '
                '--capture-tracefs; input of scripts/gen-syscalls.py.\n')
        f.write('\n'.join(lines) + '\n')


def read_args_file(path):
    sigs, origin = {}, ''
    with open(path) as f:
        for line in f:
            line = line.rstrip('\n')
            if line.startswith('# Captured on '):
                origin = line[len('# Captured on '):].split(' by ')[0]
            if line and not line.startswith('#'):
                name, *args = line.split('\t')
                sigs[name] = args
    return sigs, origin


def kernel_version(ksrc):
    with open(os.path.join(ksrc, 'Makefile')) as f:
        v = dict(re.findall(r'^(VERSION|PATCHLEVEL|SUBLEVEL|EXTRAVERSION) = *(\S*)', f.read(), re.M))
    return f"{v['VERSION']}.{v['PATCHLEVEL']}.{v['SUBLEVEL']}{v.get('EXTRAVERSION', '')}"


def read_tbl(path, abis):
    """(nr, name, entry point or None) of the rows whose abi is in abis."""
    rows = []
    with open(path) as f:
        for line in f:
            cols = line.split('#')[0].split()
            if len(cols) >= 3 and cols[1] in abis:
                rows.append((int(cols[0]), cols[2], cols[3] if len(cols) > 3 else None))
    return rows


def arm64_rows(ksrc):
    mk = os.path.join(ksrc, 'arch/arm64/kernel/Makefile.syscalls')
    if os.path.exists(mk):  # 6.11+: the generic table, filtered by abi
        with open(mk) as f:
            text = f.read()
        extra = re.search(r'^syscall_abis_64\s*\+?=(.*)$', text, re.M)
        abis = {'common', '64'} | set(extra.group(1).split() if extra else [])
        tbl = os.path.join(ksrc, 'scripts/syscall.tbl')
        m = re.search(r'^syscalltbl\s*:?=\s*(\S+)', text, re.M)
        if m and os.path.exists(os.path.join(ksrc, m.group(1).replace('%', '64'))):
            tbl = os.path.join(ksrc, m.group(1).replace('%', '64'))
        return read_tbl(tbl, abis), f'{os.path.relpath(tbl, ksrc)} (abis {",".join(sorted(abis))})'
    return arm64_rows_unistd(ksrc), 'include/uapi/asm-generic/unistd.h via arch/arm64/include/uapi/asm/unistd.h'


def arm64_rows_unistd(ksrc):
    """Before 6.11 arm64's numbers come from asm-generic/unistd.h: let cpp expand it as arm64 does."""
    probe = ('#define __SYSCALL(nr, fn) @call nr fn\n'
             '#include <asm/unistd.h>\n')
    inc = ['-I', os.path.join(ksrc, 'arch/arm64/include/uapi'), '-I', os.path.join(ksrc, 'include/uapi')]
    cpp = ['cpp', '-P', '-nostdinc', '-D__aarch64__'] + inc
    macros = subprocess.run(cpp + ['-dM', '-'], input=probe, text=True, capture_output=True, check=True).stdout
    names = sorted(set(re.findall(r'#define __NR_(\w+) ', macros)) - {'syscalls', 'arch_specific_syscall'})
    probe += ''.join(f'@name {n} __NR_{n}\n' for n in names)
    out = subprocess.run(cpp + ['-'], input=probe, text=True, capture_output=True, check=True).stdout
    entry, rows = {}, []
    for m in re.finditer(r'@call \(?([\d+ ]+)\)? (\w+)', out):
        entry[eval(m.group(1))] = m.group(2)  # numbers like (244+0)
    for m in re.finditer(r'@name (\w+) \(?([\d+ ]+)\)?\n', out):
        nr = eval(m.group(2))
        if nr in entry:  # a number without a __SYSCALL is not wired up on arm64
            rows.append((nr, m.group(1), entry[nr]))
    return sorted(rows)


def open_flags(ksrc, arch):
    """O_* (name, value) in printing order, from the arch's fcntl.h over asm-generic's."""
    defs = {}
    files = ['include/uapi/asm-generic/fcntl.h']
    if arch == 'arm64':
        files.insert(0, 'arch/arm64/include/uapi/asm/fcntl.h')
    for rel in files:
        with open(os.path.join(ksrc, rel)) as f:
            for name, val in re.findall(r'^#define\s+(O_\w+|__O_\w+|FASYNC)\s+([^/\n]+)', f.read(), re.M):
                defs.setdefault(name, val.strip())

    def value(name):
        return sum_bits(defs[name])

    def sum_bits(expr):
        out = 0
        for tok in re.split(r'[|()\s]+', expr):
            if tok:
                out |= int(tok, 8) if re.fullmatch(r'0[0-7]*', tok) else value(tok)
        return out

    # Multi-bit flags come before the bits they contain, so each bit is printed once.
    order = ['O_CREAT', 'O_EXCL', 'O_NOCTTY', 'O_TRUNC', 'O_APPEND', 'O_NONBLOCK', 'O_SYNC', 'O_DSYNC',
             ('O_ASYNC', 'FASYNC'), 'O_DIRECT', 'O_LARGEFILE', 'O_NOFOLLOW', 'O_NOATIME', 'O_CLOEXEC',
             'O_PATH', 'O_TMPFILE', 'O_DIRECTORY']
    out = []
    for item in order:
        shown, source = item if isinstance(item, tuple) else (item, item)
        out.append((shown, value(source)))
    return out


# ---- output ----
def build(rows, sigs, override):
    seen, table, missing = {}, [], []
    for nr, name, entry in sorted(rows):
        if nr in seen:
            sys.exit(f'gen-syscalls: number {nr} is both {seen[nr]} and {name}')
        seen[nr] = name
        event = re.sub(r'^(__x64_)?sys_', '', entry or '')
        if name in override:
            fields = override[name]
        elif event != 'ni_syscall' and event in sigs:
            fields = sigs[event]
        elif name in sigs:  # e.g. arm64's fadvise64 is fadvise64_64, an event x86 does not have
            fields = sigs[name]
        elif name in SUPPLEMENT:
            fields = SUPPLEMENT[name]
        else:
            fields = []
            missing.append(name)
        args = []
        for field in fields:
            typ, arg = split_field(field)
            args.append((arg, typ, arg_kind(name, typ, arg)))
        table.append((nr, name, event if event and event != 'ni_syscall' else name, classes(name, args), args))
    return table, missing


def write(path, header, table, flags):
    with open(path, 'w') as f:
        for line in header:
            f.write(f'# {line}\n'.rstrip(' \n') + '\n')
        for name, val in flags:
            f.write(f'flag\t{name}\t{val:#x}\n')
        for nr, name, event, cls, args in table:
            cols = [str(nr), name, event, ','.join(cls) or '-'] + [f'{a}:{k}:{t}' for a, t, k in args]
            f.write('\t'.join(cols) + '\n')


def main():
    p = argparse.ArgumentParser(description=__doc__.split('\n')[0])
    p.add_argument('--kernel', required=True, help='unpacked kernel source (the files listed in gen-syscalls.sh)')
    p.add_argument('--source', default='', help='where the kernel source came from, for the header')
    p.add_argument('--command', default='scripts/gen-syscalls.sh', help='the command line, for the header')
    p.add_argument('--capture-tracefs', metavar='DIR', help=f'first rewrite {ARGS_FILE} from this tracefs')
    p.add_argument('--out', default=RES, help='output directory')
    a = p.parse_args()

    args_path = os.path.join(RES, ARGS_FILE)
    if a.capture_tracefs:
        capture_tracefs(a.capture_tracefs, args_path)
    sigs, origin = read_args_file(args_path)
    version = kernel_version(a.kernel)
    x86 = read_tbl(os.path.join(a.kernel, 'arch/x86/entry/syscalls/syscall_64.tbl'), {'common', '64'})
    arm, arm_src = arm64_rows(a.kernel)
    for arch, rows, src, override in (
            ('x86_64', x86, 'arch/x86/entry/syscalls/syscall_64.tbl (abis common,64)', {}),
            ('arm64', arm, arm_src, ARM64_OVERRIDE)):
        table, missing = build(rows, sigs, override)
        header = [
            f'syscope syscall table for {arch}: generated, do not edit. Regenerate with:',
            f'  {a.command}',
            f'Numbers: Linux {version} {src}' + (f', from {a.source}' if a.source else ''),
            f'O_* values: Linux {version} uapi fcntl.h',
            f'Arguments: {ARGS_FILE} (tracefs of {origin}); classes: rules in scripts/gen-syscalls.py',
            'Lines: "flag NAME VALUE" (O_* in printing order), then',
            '  NR NAME EVENT CLASSES|- ARG... (EVENT: the tracepoint syscalls:sys_enter_EVENT), each ARG as name:kind:C type, all tab-separated.',
            '',
        ]
        write(os.path.join(a.out, f'{arch}.tsv'), header, table, open_flags(a.kernel, arch))
        print(f'gen-syscalls: {arch}: {len(table)} syscalls, highest {table[-1][0]}; '
              f'no signature for: {" ".join(missing) or "none"}')


if __name__ == '__main__':
    main()
