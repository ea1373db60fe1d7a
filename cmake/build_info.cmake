# The build's identity (README "Run identity"), one definition for the main build and the fuzz tree:
# the tool's version, and neurochip_build_info(DIR) writing DIR/build_info.h with that version and
# the git revision of the checkout (empty outside git), re-configured when HEAD moves.
set(NEUROCHIP_VERSION 0.1.0)

function(neurochip_build_info out_dir)
  get_filename_component(root ${CMAKE_CURRENT_FUNCTION_LIST_DIR}/.. ABSOLUTE)
  set(NEUROCHIP_GIT_REVISION "")
  if(EXISTS ${root}/.git)
    execute_process(COMMAND git -C ${root} rev-parse HEAD OUTPUT_VARIABLE NEUROCHIP_GIT_REVISION
                    OUTPUT_STRIP_TRAILING_WHITESPACE ERROR_QUIET)
    execute_process(COMMAND git -C ${root} rev-parse --git-path HEAD OUTPUT_VARIABLE git_head
                    OUTPUT_STRIP_TRAILING_WHITESPACE ERROR_QUIET)
    execute_process(COMMAND git -C ${root} rev-parse --symbolic-full-name HEAD OUTPUT_VARIABLE git_ref
                    OUTPUT_STRIP_TRAILING_WHITESPACE ERROR_QUIET)
    execute_process(COMMAND git -C ${root} rev-parse --git-path ${git_ref} OUTPUT_VARIABLE git_ref_file
                    OUTPUT_STRIP_TRAILING_WHITESPACE ERROR_QUIET)
    foreach(watched ${git_head} ${git_ref_file})
      get_filename_component(watched ${watched} ABSOLUTE BASE_DIR ${root})
      if(EXISTS ${watched})
        set_property(DIRECTORY APPEND PROPERTY CMAKE_CONFIGURE_DEPENDS ${watched})
      endif()
    endforeach()
  endif()
  configure_file(${root}/sim/base/build_info.h.in ${out_dir}/build_info.h @ONLY)
endfunction()
