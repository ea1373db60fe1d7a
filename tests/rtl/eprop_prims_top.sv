// Test harness of the e-prop RTL primitives (SPEC.md §2.3, §2.8, §6): every primitive on its own
// ports, so one Verilated model lets tests/rtl/rtl_primitives_test.cpp drive each against the C++ kernel.
module eprop_prims_top (
  input  logic               clk_i,
  input  logic               rst_ni,
  // stochastic update, W = 32 and W = 28
  input  logic signed [7:0]  su_w_i,
  input  logic signed [31:0] su_p_i,
  input  logic [4:0]         su_lr_p_i,
  input  logic [4:0]         su_lr_r_i,
  input  logic [31:0]        su_rnd_i,
  output logic signed [7:0]  su32_w_o,
  output logic signed [7:0]  su28_w_o,
  // hard sigmoid
  input  logic signed [15:0] hs_v_i,
  output logic [11:0]        hs_y_o,
  // pseudo-derivative
  input  logic signed [15:0] pd_u_i,
  input  logic [63:0]        pd_thr_i,
  input  logic [24:0]        pd_level_i,
  output logic signed [4:0]  pd_h_o,
  // trace increments
  input  logic [11:0]        inc_trace_i,
  input  logic [3:0]         inc_shift_i,
  output logic [11:0]        inc12_o,
  output logic [9:0]         inc10_o,
  // trace decays
  input  logic [11:0]        dec_trace_i,
  input  logic [15:0]        dec_factor_i,
  input  logic               dec_round_i,
  input  logic [14:0]        dec_draw_i,
  output logic [11:0]        dec_alpha_o,
  output logic [9:0]         dec_kappa_o,
  // learning signal
  input  logic [255:0]       ls_e_i,
  input  logic [127:0]       ls_w_i,
  input  logic [3:0]         ls_shift_i,
  output logic signed [15:0] ls_l_o,
  // update value
  input  logic signed [15:0] uv_l_i,
  input  logic [11:0]        uv_t_i,
  input  logic signed [4:0]  uv_h_i,
  input  logic [11:0]        uv_rho_i,
  input  logic               uv_mul_i,
  input  logic               uv_add_i,
  input  logic [3:0]         uv_mul_shift_i,
  input  logic [4:0]         uv_k_p_i,
  input  logic [4:0]         uv_k_r_i,
  output logic signed [31:0] uv_p_o,
  // LFSRs: weight (25 bits), output weight (22), membrane-type (15/15), readout-type (15/7)
  input  logic               lfsr_seed_i,
  input  logic [24:0]        lfsr_seed_value_i,
  input  logic               lfsr_advance_i,
  output logic [511:0]       lw_bits_o,
  output logic [24:0]        lw_window_o,
  output logic [447:0]       lo_bits_o,
  output logic [21:0]        lo_window_o,
  output logic [14:0]        lm_bits_o,
  output logic [14:0]        lm_window_o,
  output logic [6:0]         lr_bits_o,
  output logic [14:0]        lr_window_o
);
  eprop_stoch_update #(.W(32)) u_su32 (
    .w_i(su_w_i), .p_i(su_p_i), .lr_p_i(su_lr_p_i), .lr_r_i(su_lr_r_i), .rnd_i(su_rnd_i), .w_o(su32_w_o)
  );
  eprop_stoch_update #(.W(28)) u_su28 (
    .w_i(su_w_i), .p_i(su_p_i[27:0]), .lr_p_i(su_lr_p_i), .lr_r_i(su_lr_r_i), .rnd_i(su_rnd_i[27:0]),
    .w_o(su28_w_o)
  );
  eprop_hard_sigmoid u_hs (.v_i(hs_v_i), .y_o(hs_y_o));
  eprop_pseudo_deriv u_pd (.u_i(pd_u_i), .thr_i(pd_thr_i), .level_i(pd_level_i), .h_o(pd_h_o));
  eprop_trace_inc #(.BITS(12), .INC(eprop_pkg::TraceInc)) u_inc12 (
    .trace_i(inc_trace_i), .shift_i(inc_shift_i), .trace_o(inc12_o)
  );
  eprop_trace_inc #(.BITS(10), .INC(eprop_pkg::TraceOutInc)) u_inc10 (
    .trace_i(inc_trace_i[9:0]), .shift_i(inc_shift_i), .trace_o(inc10_o)
  );
  eprop_trace_decay #(.BITS(12), .FBITS(16), .FRAC(15)) u_dec_alpha (
    .trace_i(dec_trace_i), .factor_i(dec_factor_i), .round_i(dec_round_i), .draw_i(dec_draw_i),
    .trace_o(dec_alpha_o)
  );
  eprop_trace_decay #(.BITS(10), .FBITS(8), .FRAC(7)) u_dec_kappa (
    .trace_i(dec_trace_i[9:0]), .factor_i(dec_factor_i[7:0]), .round_i(dec_round_i),
    .draw_i(dec_draw_i[6:0]), .trace_o(dec_kappa_o)
  );
  eprop_learn_signal u_ls (.e_i(ls_e_i), .w_i(ls_w_i), .shift_i(ls_shift_i), .l_o(ls_l_o));
  eprop_update_value u_uv (
    .l_i(uv_l_i), .t_i(uv_t_i), .h_i(uv_h_i), .rho_i(uv_rho_i), .mul_en_i(uv_mul_i), .add_en_i(uv_add_i),
    .mul_shift_i(uv_mul_shift_i), .k_p_i(uv_k_p_i), .k_r_i(uv_k_r_i), .p_o(uv_p_o)
  );
  eprop_lfsr #(
    .W(eprop_pkg::WLfsrWidth), .K(eprop_pkg::WLfsrAdvance), .TAPS(eprop_pkg::WLfsrTaps),
    .LOAD_MAP(eprop_pkg::WLfsrLoadMap)
  ) u_lw (
    .clk_i, .rst_ni, .seed_i(lfsr_seed_i), .seed_value_i(lfsr_seed_value_i), .advance_i(lfsr_advance_i),
    .bits_o(lw_bits_o), .window_o(lw_window_o)
  );
  eprop_lfsr #(
    .W(eprop_pkg::OLfsrWidth), .K(eprop_pkg::OLfsrAdvance), .TAPS(eprop_pkg::OLfsrTaps),
    .LOAD_MAP(eprop_pkg::OLfsrLoadMap)
  ) u_lo (
    .clk_i, .rst_ni, .seed_i(lfsr_seed_i), .seed_value_i(lfsr_seed_value_i[21:0]), .advance_i(lfsr_advance_i),
    .bits_o(lo_bits_o), .window_o(lo_window_o)
  );
  eprop_lfsr #(
    .W(eprop_pkg::MLfsrWidth), .K(eprop_pkg::MLfsrAdvance), .TAPS(eprop_pkg::MLfsrTaps),
    .LOAD_MAP(eprop_pkg::MLfsrLoadMap)
  ) u_lm (
    .clk_i, .rst_ni, .seed_i(lfsr_seed_i), .seed_value_i(lfsr_seed_value_i[14:0]), .advance_i(lfsr_advance_i),
    .bits_o(lm_bits_o), .window_o(lm_window_o)
  );
  eprop_lfsr #(
    .W(eprop_pkg::RLfsrWidth), .K(eprop_pkg::RLfsrAdvance), .TAPS(eprop_pkg::RLfsrTaps),
    .LOAD_MAP(eprop_pkg::RLfsrLoadMap)
  ) u_lr (
    .clk_i, .rst_ni, .seed_i(lfsr_seed_i), .seed_value_i(lfsr_seed_value_i[14:0]), .advance_i(lfsr_advance_i),
    .bits_o(lr_bits_o), .window_o(lr_window_o)
  );
endmodule
