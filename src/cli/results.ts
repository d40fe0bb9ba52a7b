import { SimlabError } from "../errors.js";
import type { CliCommand } from "./command.js";

// Placeholder until this command is written.
export const command: CliCommand = {
  summary: "(not available yet)",
  async run() {
    throw new SimlabError("this command is not available yet");
  },
};
