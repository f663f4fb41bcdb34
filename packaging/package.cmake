# The Debian package (`make package`, CPack): the binary in /usr/bin, its hardened systemd
# unit, the environment file /etc/interviewbase/interviewbase.env (mode 0600: it may hold the
# JWT secret; a conffile, so an upgrade keeps local edits), the README and the licence notices.
# Shared-library dependencies come from dpkg-shlibdeps (dpkg-dev, part of build-essential).
# cpack installs without building everything first (the tests are not part of the package);
# `make package` builds the binary itself.
set(CMAKE_SKIP_INSTALL_ALL_DEPENDENCY TRUE)
install(TARGETS interviewbase RUNTIME DESTINATION bin)
install(FILES packaging/deb/interviewbase.service DESTINATION lib/systemd/system)
install(FILES packaging/deb/interviewbase.env DESTINATION /etc/interviewbase
        PERMISSIONS OWNER_READ OWNER_WRITE)
install(FILES packaging/deb/copyright README.md DESTINATION share/doc/interviewbase)

set(IB_DEB_CONTROL ${PROJECT_BINARY_DIR}/deb-control)
file(MAKE_DIRECTORY ${IB_DEB_CONTROL})
file(WRITE ${IB_DEB_CONTROL}/conffiles "/etc/interviewbase/interviewbase.env\n")
foreach(script postinst prerm postrm)
  file(COPY packaging/deb/${script} DESTINATION ${IB_DEB_CONTROL}
       FILE_PERMISSIONS OWNER_READ OWNER_WRITE OWNER_EXECUTE GROUP_READ GROUP_EXECUTE
                        WORLD_READ WORLD_EXECUTE)
endforeach()

set(CPACK_GENERATOR DEB)
set(CPACK_PACKAGE_NAME interviewbase)
set(CPACK_PACKAGE_VERSION ${PROJECT_VERSION})
set(CPACK_PACKAGE_CONTACT "interviewbase maintainers <maintainers@interviewbase.invalid>")
set(CPACK_PACKAGE_DESCRIPTION_SUMMARY
    "Supabase-compatible backend of an interview-practice platform, on SQLite")
set(CPACK_PACKAGE_DESCRIPTION
    "One executable that serves PostgREST (/rest/v1), GoTrue (/auth/v1), Storage (/storage/v1)\
 and Realtime (/realtime/v1) wire protocols from an embedded SQLite database.")
set(CPACK_PACKAGING_INSTALL_PREFIX /usr)
set(CPACK_DEBIAN_FILE_NAME DEB-DEFAULT)
set(CPACK_DEBIAN_PACKAGE_SECTION database)
set(CPACK_DEBIAN_PACKAGE_SHLIBDEPS ON)
set(CPACK_DEBIAN_PACKAGE_CONTROL_EXTRA
    ${IB_DEB_CONTROL}/conffiles ${IB_DEB_CONTROL}/postinst ${IB_DEB_CONTROL}/prerm
    ${IB_DEB_CONTROL}/postrm)
set(CPACK_DEBIAN_PACKAGE_CONTROL_STRICT_PERMISSION TRUE)
set(CPACK_STRIP_FILES TRUE)
include(CPack)
