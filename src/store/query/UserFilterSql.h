// The SQL-answerable attributes of users (tim_user u).
#pragma once

#include "FilterSql.h"

namespace store {

const ColumnMap& userColumns();

}  // namespace store
