package dev.syscope.syscalls;

/** One syscall argument: its name and C type as tracefs shows them ({@code const char *}, filename). */
public record SyscallArg(String name, String type, ArgKind kind) {}
