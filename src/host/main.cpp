#include <iostream>

#include "HostApplication.h"

POCO_SERVER_MAIN(timhost::HostApplication)
