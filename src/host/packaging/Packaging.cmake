# Debian packages with CPack (`cmake --build BUILD --target package`): `timhost`, the reference
# host as a service, and `tim-scim`, the plugin under TIM's plugin directory. Dependencies come
# from dpkg-shlibdeps (Debian's Poco 1.11 packages), not from a hand-written list.
set(TIM_PACKAGED_PLUGIN_DIR lib/tim/plugins)
set(packaging ${CMAKE_CURRENT_LIST_DIR})

# /etc/tim/tim.properties: docs/tim.properties.example with the packaged directories set.
file(READ ${PROJECT_SOURCE_DIR}/docs/tim.properties.example example)
string(REPLACE "#plugin.dir = <bin>/../plugins" "plugin.dir = /usr/${TIM_PACKAGED_PLUGIN_DIR}"
       example "${example}")
string(REPLACE "#data.dir = <bin>/../data" "data.dir = /var/lib/tim" example "${example}")
file(WRITE ${CMAKE_BINARY_DIR}/packaging/tim.properties "${example}")
set_property(DIRECTORY APPEND PROPERTY CMAKE_CONFIGURE_DEPENDS
             ${PROJECT_SOURCE_DIR}/docs/tim.properties.example)

# What Debian policy asks of every package: its copyright file and a changelog, compressed
# without a timestamp (gzip -9n), in /usr/share/doc/<package>/.
foreach(package timhost ${TIM_PLUGIN_NAME})
  set(doc ${CMAKE_BINARY_DIR}/packaging/${package})
  file(MAKE_DIRECTORY ${doc})
  file(WRITE ${doc}/changelog "${package} (${PROJECT_VERSION}) stable; urgency=medium\n\n"
       "  * Release ${PROJECT_VERSION}; see /usr/share/doc/${TIM_PLUGIN_NAME}/.\n\n"
       " -- TIM Flow <tim-scim@example.com>  Sun, 06 Dec 2026 00:00:00 +0000\n")
  execute_process(COMMAND gzip -9nf ${doc}/changelog)
  set(component ${package})
  if(package STREQUAL TIM_PLUGIN_NAME)
    set(component plugin)
  endif()
  install(FILES ${doc}/changelog.gz ${packaging}/copyright DESTINATION share/doc/${package}
          COMPONENT ${component} EXCLUDE_FROM_ALL)
endforeach()

install(TARGETS timhost RUNTIME DESTINATION bin COMPONENT timhost EXCLUDE_FROM_ALL)
# 0640 in the package itself: it holds the database password and initpass-x-others, and is
# never readable by others, not even between unpacking and postinst (which gives it to tim's
# group, created there).
install(FILES ${CMAKE_BINARY_DIR}/packaging/tim.properties DESTINATION /etc/tim
        PERMISSIONS OWNER_READ OWNER_WRITE GROUP_READ COMPONENT timhost EXCLUDE_FROM_ALL)
install(FILES ${packaging}/timhost.service DESTINATION lib/systemd/system COMPONENT timhost
        EXCLUDE_FROM_ALL)
install(TARGETS tim-scim LIBRARY DESTINATION ${TIM_PACKAGED_PLUGIN_DIR}/${TIM_PLUGIN_NAME}
        COMPONENT plugin EXCLUDE_FROM_ALL)
install(FILES ${PROJECT_SOURCE_DIR}/manifest.json
        DESTINATION ${TIM_PACKAGED_PLUGIN_DIR}/${TIM_PLUGIN_NAME} COMPONENT plugin EXCLUDE_FROM_ALL)
install(FILES ${PROJECT_SOURCE_DIR}/docs/admin-guide.md ${PROJECT_SOURCE_DIR}/docs/reference.md
              ${PROJECT_SOURCE_DIR}/docs/operations.md
              ${PROJECT_SOURCE_DIR}/docs/troubleshooting.md
              ${PROJECT_SOURCE_DIR}/docs/tim.properties.example
              ${PROJECT_SOURCE_DIR}/docs/nginx-tim-scim.conf
              ${PROJECT_SOURCE_DIR}/docs/prometheus-tim-scim.yml
              ${PROJECT_SOURCE_DIR}/docs/tim-scim-alerts.yml
              ${PROJECT_SOURCE_DIR}/docs/grafana-tim-scim.json
        DESTINATION share/doc/${TIM_PLUGIN_NAME} COMPONENT plugin EXCLUDE_FROM_ALL)

set(CPACK_GENERATOR DEB)
set(CPACK_PACKAGING_INSTALL_PREFIX /usr)
set(CPACK_COMPONENTS_ALL timhost plugin)
set(CPACK_DEB_COMPONENT_INSTALL ON)
set(CPACK_DEBIAN_FILE_NAME DEB-DEFAULT)
set(CPACK_PACKAGE_VERSION ${PROJECT_VERSION})
set(CPACK_PACKAGE_CONTACT "TIM Flow <tim-scim@example.com>")
set(CPACK_PACKAGE_VENDOR "TIM Flow")
set(CPACK_DEBIAN_PACKAGE_SECTION admin)
set(CPACK_DEBIAN_PACKAGE_SHLIBDEPS ON)
set(CPACK_STRIP_FILES ON)
set(CPACK_DEBIAN_TIMHOST_PACKAGE_NAME timhost)
set(CPACK_DEBIAN_TIMHOST_PACKAGE_DEPENDS adduser)
set(CPACK_COMPONENT_TIMHOST_DESCRIPTION
    "TIM reference host\nRuns TIM plugins (such as tim-scim) behind one HTTP(S) listener, as the tim\nservice account.")
set(CPACK_DEBIAN_TIMHOST_PACKAGE_CONTROL_EXTRA
    ${packaging}/conffiles ${packaging}/postinst ${packaging}/prerm ${packaging}/postrm)
set(CPACK_DEBIAN_TIMHOST_PACKAGE_CONTROL_STRICT_PERMISSION ON)
set(CPACK_DEBIAN_PLUGIN_PACKAGE_NAME ${TIM_PLUGIN_NAME})
set(CPACK_COMPONENT_PLUGIN_DESCRIPTION
    "SCIM 2.0 provisioning for TIM\nLets Microsoft Entra ID (and other SCIM clients) create, update, disable and\ngroup TIM users, and grant their roles.")
include(CPack)
