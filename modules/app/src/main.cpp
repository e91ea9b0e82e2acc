#include <iostream>

#include <Poco/Util/OptionException.h>

#include "govtrack/domain/Error.h"

#include "Cli.h"

int main(int argc, char** argv) {
    govtrack::app::GovtrackApp app;
    try {
        return app.runCli(argc, argv);
    } catch (const Poco::Util::OptionException& e) {
        std::cerr << "govtrack: " << e.displayText() << " (see govtrack --help)\n";
        return govtrack::app::kExitInput;
    } catch (const govtrack::domain::Error& e) {
        std::cerr << "govtrack: " << e.what() << "\n";
        return e.code() == govtrack::domain::ErrorCode::kUnavailable ||
                       e.code() == govtrack::domain::ErrorCode::kInternal
                   ? govtrack::app::kExitFailure
                   : govtrack::app::kExitInput;
    } catch (const Poco::Exception& e) {
        std::cerr << "govtrack: " << e.displayText() << "\n";
        return govtrack::app::kExitFailure;
    } catch (const std::exception& e) {
        std::cerr << "govtrack: " << e.what() << "\n";
        return govtrack::app::kExitFailure;
    }
}
