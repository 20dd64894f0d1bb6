# Installs the build tree into a scratch prefix, then configures, builds and runs the consumer
# project against it. Arguments: DIACHI_BUILD_DIR, CONSUMER_SOURCE_DIR, WORK_DIR, GENERATOR,
# CONSUMER_COMPILER and CONSUMER_FLAGS (a sanitized build's consumer is built the same way).
file(REMOVE_RECURSE "${WORK_DIR}")
set(prefix "${WORK_DIR}/prefix")
function(run)
    execute_process(COMMAND ${ARGV} RESULT_VARIABLE result OUTPUT_VARIABLE out ERROR_VARIABLE err)
    if(NOT result EQUAL 0)
        message(FATAL_ERROR "failed (${result}): ${ARGV}\n${out}\n${err}")
    endif()
    message(STATUS "${out}")
endfunction()
run(${CMAKE_COMMAND} --install "${DIACHI_BUILD_DIR}" --prefix "${prefix}")
run(${CMAKE_COMMAND} -S "${CONSUMER_SOURCE_DIR}" -B "${WORK_DIR}/build" -G "${GENERATOR}"
    "-DCMAKE_PREFIX_PATH=${prefix}" "-DCMAKE_CXX_COMPILER=${CONSUMER_COMPILER}"
    "-DCMAKE_CXX_FLAGS=${CONSUMER_FLAGS}" "-DCMAKE_EXE_LINKER_FLAGS=${CONSUMER_FLAGS}")
run(${CMAKE_COMMAND} --build "${WORK_DIR}/build")
run("${WORK_DIR}/build/consumer" "${WORK_DIR}/consumer-store")
