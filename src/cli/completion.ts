/**
 * Shell completion scripts for bash and zsh (pure), from the commands and
 * options the program declares: the command name first, then its options
 * and the global ones; values for --schema, --dialect and --engine; file
 * names after --config, --dir and make.
 */
export interface CompletionSpec {
  globals: string[];
  /** Flags that take a value (the next word is not a command). */
  valued: string[];
  commands: { name: string; options: string[] }[];
}

const VALUES: Record<string, string> = {
  '--schema': 'agents chat',
  '--dialect': 'postgres mysql',
  '--engine': 'postgres mysql pglite',
};
const FILES = ['--config', '--dir'];

const words = (list: string[]) => list.join(' ');

function bashFunction(spec: CompletionSpec): string {
  const perCommand = spec.commands.map((c) => `    ${c.name}) opts="${words(c.options)}" ;;`).join('\n');
  const values = Object.entries(VALUES)
    .map(([flag, v]) => `    ${flag}) COMPREPLY=( $(compgen -W "${v}" -- "$cur") ); return 0 ;;`)
    .join('\n');
  return `_dbkit() {
  local cur prev cmd opts i
  cur="\${COMP_WORDS[COMP_CWORD]}"
  prev="\${COMP_WORDS[COMP_CWORD-1]}"
  cmd=""
  for ((i = 1; i < COMP_CWORD; i++)); do
    case "\${COMP_WORDS[i]}" in
      ${spec.valued.join('|')}) ((i++)) ;;
      -*) ;;
      *) cmd="\${COMP_WORDS[i]}"; break ;;
    esac
  done
  case "$prev" in
${values}
    ${FILES.join('|')}) COMPREPLY=( $(compgen -f -- "$cur") ); return 0 ;;
  esac
  if [ -z "$cmd" ]; then
    COMPREPLY=( $(compgen -W "${words(spec.commands.map((c) => c.name))} ${words(spec.globals)}" -- "$cur") )
    return 0
  fi
  opts=""
  case "$cmd" in
${perCommand}
  esac
  COMPREPLY=( $(compgen -W "$opts ${words(spec.globals)}" -- "$cur") )
}`;
}

export function completionScript(shell: 'bash' | 'zsh', spec: CompletionSpec): string {
  if (shell === 'bash') {
    return `# dbkit completion for bash: source <(dbkit completion bash)\n${bashFunction(spec)}\ncomplete -F _dbkit dbkit\n`;
  }
  // zsh runs the same function through its bash-completion layer.
  return `#compdef dbkit\n# dbkit completion for zsh: dbkit completion zsh > "\${fpath[1]}/_dbkit" (or source <(dbkit completion zsh))\nautoload -U +X bashcompinit && bashcompinit\n${bashFunction(spec)}\ncomplete -F _dbkit dbkit\n`;
}
