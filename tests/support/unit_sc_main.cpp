// The SystemC library defines main() and calls sc_main(); test executables that never elaborate
// SystemC use GoogleTest's main instead but must still resolve libsystemc's reference to sc_main
// (unoptimised builds keep that reference). It is never called.
int sc_main(int, char*[]) { return 1; }
