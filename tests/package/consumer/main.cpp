// Uses the installed headers and library: encodes a point and makes its household code.
#include <iostream>

#include <diachi/household_code.hpp>
#include <diachi/olc.hpp>

int main() {
    const auto code = diachi::olc::encode(21.0006, 105.8, 11);
    const auto household = diachi::HouseholdCode::from_degrees(11120, 21.0006, 105.8);
    if (!code || !household) {
        return 1;
    }
    std::cout << code->view() << ' ' << household->display().view() << '\n';
    return code->view() == "7PH72R22+62R" && household->display().view() == "11120 2R22+62R" ? 0 : 1;
}
