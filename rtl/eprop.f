// File list of the e-prop engine RTL (SPEC.md §6), dependencies first; paths relative to this file
// (verilator -F). The package eprop_pkg.sv is generated into the build tree (rtl/gen) and passed first.
eprop_lfsr.sv
eprop_stoch_update.sv
eprop_hard_sigmoid.sv
eprop_pseudo_deriv.sv
eprop_trace_inc.sv
eprop_trace_decay.sv
eprop_learn_signal.sv
eprop_update_value.sv
eprop_engine.sv
